import type { MessageKey } from "./en.js";

export const fr: Record<MessageKey, string> = {
  "app.name": "Passerelle newsletter OFN",
  "lang.switch": "English",
  "error.title": "Une erreur s'est produite",
  "error.notFound.title": "Page introuvable",
  "error.notFound.body": "Cette page n'existe pas. Vérifiez l'adresse ou revenez à l'accueil.",
  "error.internal.body":
    "Une erreur inattendue s'est produite de notre côté. Réessayez dans un instant. Si cela continue, donnez cette référence à l'opérateur de la passerelle : {requestId}.",
  "error.generic.body": "La demande n'a pas pu aboutir : {message}",
  "error.backHome": "Retour à l'accueil",
  "error.reference": "Référence : {requestId}",
  "error.api.internal": "Erreur interne. Donnez l'identifiant de requête à l'opérateur.",
  "error.api.notFound": "Ressource introuvable.",
  "error.payloadTooLarge": "Le corps de la requête est trop volumineux.",
};
