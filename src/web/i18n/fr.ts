import { adminFr } from "./admin.fr.js";
import type { MessageKey } from "./en.js";

export const fr: Record<MessageKey, string> = {
  ...adminFr,
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
  "webhook.invalidJson": "Le corps de la requête n'est pas du JSON valide.",
  "webhook.invalidBody": "Le corps du webhook ne ressemble pas à celui d'OFN : {detail}",
  "webhook.unknownToken":
    "Adresse de webhook inconnue. Copiez l'adresse actuelle depuis la page de configuration de la passerelle dans OFN.",
  "webhook.rateLimited":
    "Trop de requêtes avec des adresses de webhook inconnues depuis cette adresse. Réessayez plus tard.",
  "webhook.setup.title": "Adresse de webhook pour Open Food Network",
  "webhook.setup.intro":
    "OFN appelle cette adresse quand un de vos cycles de vente ouvre. Gardez-la secrète : qui la connaît peut déclencher votre annonce.",
  "webhook.setup.copy": "Copier",
  "webhook.setup.copied": "Copiée",
  "webhook.setup.regenerate": "Créer une nouvelle adresse",
  "webhook.setup.regenerateWarning":
    "L'adresse actuelle cesse de fonctionner immédiatement : collez tout de suite la nouvelle dans OFN.",
  "webhook.setup.step1":
    "Dans OFN, ouvrez Compte, puis l'onglet Paramètres développeur. Si vous ne voyez pas cet onglet, demandez à l'équipe de votre instance OFN d'activer « Afficher la vue clé API » pour votre utilisateur.",
  "webhook.setup.step2":
    "Sous Webhook Endpoints, sur la ligne « Ouverture de cycle de vente », collez cette adresse et enregistrez. Collez-la telle quelle : sans barre oblique ni espace en plus.",
  "webhook.setup.step3":
    "OFN n'a pas de bouton de test pour cet événement. Utilisez « Simuler l'ouverture d'un cycle de vente » ici pour vérifier votre modèle, votre expéditeur et votre audience.",
  "webhook.setup.step4":
    "Si vous utilisez le bouton de test du webhook de paiement d'OFN avec cette adresse, il apparaît ici comme « test reçu ».",
  "campaign.kind.announcement": "Ouverture de cycle de vente",
  "campaign.kind.last_call": "Dernier appel",
  "campaign.kind.test": "E-mail de test",
  "campaign.status.pending": "En attente",
  "campaign.status.created": "Créée dans l'outil de newsletter",
  "campaign.status.content_set": "Contenu prêt",
  "campaign.status.sent": "Envoyée",
  "campaign.status.scheduled": "Programmée",
  "campaign.status.draft": "Brouillon : envoyez-la depuis votre outil de newsletter",
  "campaign.status.failed": "Échec",
  "campaign.status.cancelled": "Annulée",
  "campaign.status.cancelling": "Annulation en cours",
  "campaign.error.noProvider": "Connectez Mailchimp ou Brevo et choisissez une audience, puis réessayez.",
  "campaign.error.connectionBroken":
    "La connexion à votre outil de newsletter est rompue ({message}). Collez une nouvelle clé API, puis réessayez.",
  "campaign.error.noTestAddress":
    "Ajoutez une adresse pour les e-mails de test dans les réglages de campagne, puis réessayez.",
  "campaign.error.closedBeforeLastCall": "Le cycle de vente a fermé avant l'heure du dernier appel.",
  "campaign.error.reopenedOtherDates":
    "Le cycle de vente a rouvert avec d'autres dates ; un nouveau dernier appel remplace celui-ci.",
  "campaign.error.gaveUp":
    "Votre outil de newsletter a échoué à chaque essai ({message}). Réessayez plus tard.",
  "campaign.error.internal":
    "Erreur inattendue. Réessayez, ou donnez la référence de la campagne à l'opérateur de la passerelle.",
  "campaign.retry": "Réessayer",
  "campaign.retry.onlyFailed": "Seule une campagne en échec peut être relancée.",
  "campaign.sendTest": "M'envoyer un test",
  "campaign.simulate": "Simuler l'ouverture d'un cycle de vente",
  "campaign.simulate.done":
    "Un cycle de vente fictif a été traité : la campagne est un brouillon dans votre outil de newsletter et un e-mail de test vous a été envoyé.",
  "delivery.outcome.accepted": "Campagne en file d'attente",
  "delivery.outcome.duplicate": "Déjà reçu (doublon)",
  "delivery.outcome.ignored": "Autre événement, ignoré",
  "delivery.outcome.testReceived": "Test reçu",
  "delivery.outcome.campaigns_off": "Pas d'annonce : les annonces sont désactivées",
  "delivery.outcome.enterprise_off": "Pas d'annonce : les cycles de cette entreprise ne sont pas annoncés",
  "delivery.outcome.coordinator_excluded": "Pas d'annonce : les cycles de ce coordinateur sont exclus",
  "delivery.outcome.no_enterprise_announces":
    "Pas d'annonce : aucune de vos entreprises n'annonce ses cycles",
  "delivery.outcome.reopening_off": "Réouverture non annoncée (« annoncer les réouvertures » est désactivé)",
  "delivery.outcome.superseded": "Pas d'annonce : une ouverture plus récente de ce cycle a déjà été reçue",
  // Setup pages and dashboard (src/web/pages)
  "form.continue": "Continuer",
  "form.saveContinue": "Enregistrer et continuer",
  "form.cancel": "Annuler",
  "form.errorSummary": "Il y a un problème",
  "form.errorTitle": "Erreur : {title}",
  "form.invalid": "Le formulaire n'a pas pu être lu. Rechargez la page et réessayez.",
  "nav.label": "Votre compte",
  "nav.dashboard": "Tableau de bord",
  "nav.signOut": "Se déconnecter",
  "nav.backToDashboard": "Retour au tableau de bord",
  "csrf.crossSite":
    "Ce formulaire a été envoyé depuis un autre site, il a donc été refusé. Ouvrez directement la page de la passerelle et réessayez.",
  "csrf.invalid":
    "Ce formulaire a expiré ou a déjà été utilisé. Revenez en arrière, rechargez la page et réessayez.",
  "session.required": "Connectez-vous d'abord : collez de nouveau votre clé d'API OFN.",
  "rateLimit.keys":
    "Trop de tentatives de saisie de clé depuis votre connexion. Attendez {minutes} minutes, puis réessayez.",
  "landing.title": "Vos clients OFN dans votre newsletter",
  "landing.lead":
    "Cette passerelle relie votre boutique Open Food Network à Mailchimp ou Brevo. Réglez-la une fois ; elle travaille ensuite toute seule.",
  "landing.point.sync":
    "Vos clients OFN sont copiés dans votre audience Mailchimp ou votre liste Brevo au rythme que vous choisissez, et tenus à jour.",
  "landing.point.announce":
    "Quand l'un de vos cycles de vente ouvre, une newsletter l'annonce, avec ses dates et un lien vers votre boutique.",
  "landing.point.consent":
    "Personne qui s'est désabonné n'est réabonné, et c'est vous qui décidez du consentement des nouveaux contacts.",
  "landing.start": "Commencer le réglage",
  "landing.signIn": "Déjà réglé ? Connectez-vous avec votre clé d'API OFN",
  "landing.toDashboard": "Aller au tableau de bord",
  "landing.needs.title": "Ce qu'il vous faut",
  "landing.needs.ofn": "Votre clé d'API OFN (dans OFN : Compte, puis Paramètres développeur).",
  "landing.needs.provider": "Un compte Mailchimp ou Brevo et une clé d'API de ce compte.",
  "landing.needs.time": "Environ dix minutes.",
  "landing.privacy":
    "Vos clés sont stockées chiffrées et ne sont plus jamais affichées, sauf leurs 4 derniers caractères.",
  "landing.notice.deleted": "Tout ce qui concerne votre boutique a été supprimé de cette passerelle.",
  "landing.notice.signedOut": "Vous êtes déconnecté.",
  "step.label": "Étapes du réglage",
  "step.progress": "Étape {n} sur {total}",
  "step.enterprises": "Entreprises",
  "step.provider": "Outil de newsletter",
  "step.audience": "Audience",
  "step.consent": "Consentement",
  "step.schedule": "Fréquence",
  "step.template": "Newsletter",
  "step.webhook": "Webhook OFN",
  "instance.title": "Quel Open Food Network utilisez-vous ?",
  "instance.lead":
    "Choisissez le site OFN où se trouve votre boutique. Vous collerez ensuite votre clé d'API OFN.",
  "instance.legend": "Votre site OFN",
  "instance.hint": "Cette passerelle fonctionne uniquement avec ces sites OFN.",
  "signin.title": "Se connecter",
  "signin.lead":
    "Pour retrouver votre tableau de bord, choisissez votre site OFN et collez de nouveau votre clé d'API OFN. La même clé retrouve votre boutique.",
  "ofnKey.title": "Collez votre clé d'API OFN",
  "ofnKey.lead":
    "La passerelle l'utilise pour lire vos entreprises et vos clients sur {instance}. Elle est vérifiée auprès d'OFN immédiatement.",
  "ofnKey.help.login": "Connectez-vous à {instance}.",
  "ofnKey.help.openAccount": "Ouvrir votre compte sur {instance} (nouvel onglet)",
  "ofnKey.help.developer": "Dans Compte, ouvrez l'onglet Paramètres développeur.",
  "ofnKey.help.copy": "Copiez la clé d'API affichée (cliquez sur Générer s'il n'y en a pas encore).",
  "ofnKey.help.superAdmin":
    "Pas d'onglet Paramètres développeur ? Un super-administrateur de votre site OFN doit d'abord activer « Show API key view » pour votre utilisateur : demandez à votre équipe OFN.",
  "ofnKey.label": "Clé d'API OFN",
  "ofnKey.hint": "48 caractères : des chiffres et les lettres a à f.",
  "ofnKey.storage":
    "La clé est stockée chiffrée. Elle n'est plus jamais affichée : seulement ses 4 derniers caractères.",
  "ofnKey.submit": "Vérifier la clé et continuer",
  "ofnKey.otherInstance": "Choisir un autre site OFN",
  "ofnKey.problem.instance": "Choisissez l'un des sites OFN de la liste.",
  "ofnKey.problem.blank": "Le champ de la clé est vide. Collez votre clé d'API OFN.",
  "ofnKey.problem.format":
    "Ce n'est pas une clé d'API OFN : elle doit faire 48 caractères, des chiffres et les lettres a à f. Copiez-la de nouveau depuis Compte, Paramètres développeur.",
  "ofnKey.problem.refused":
    "{instance} n'a pas accepté cette clé. Elle est peut-être mal copiée, ou elle a été régénérée. Copiez la clé actuelle depuis Compte, Paramètres développeur, et collez-la de nouveau.",
  "ofnKey.problem.unreachable":
    "{instance} n'a pas pu être joint, la clé n'a donc pas été vérifiée. Réessayez dans quelques minutes.",
  "ofnKey.problem.taken":
    "Cette clé appartient déjà à une autre boutique de cette passerelle. Déconnectez-vous, puis connectez-vous avec cette clé pour retrouver cette boutique.",
  "enterprises.title": "Vos entreprises",
  "enterprises.lead":
    "Voici les entreprises que votre clé OFN peut voir. Choisissez de quelles entreprises les clients vont dans votre newsletter, et de quelles entreprises les cycles de vente sont annoncés.",
  "enterprises.shopUrl": "Boutique :",
  "enterprises.noShopUrl": "Aucune boutique publique trouvée pour cette entreprise.",
  "enterprises.sync": "Copier ses clients dans ma newsletter",
  "enterprises.announce": "Annoncer ses cycles de vente quand ils ouvrent",
  "enterprises.none":
    "Votre utilisateur OFN ne gère aucune entreprise : il n'y a rien à synchroniser. Demandez au propriétaire de l'entreprise dans OFN de vous ajouter comme gestionnaire, puis revenez.",
  "enterprises.error.none":
    "Cochez au moins une case : quels clients ou cycles de vente la passerelle doit-elle utiliser ?",
  "provider.title": "Quel outil de newsletter utilisez-vous ?",
  "provider.lead": "Vos clients vont dans cet outil, et vos annonces sont envoyées depuis celui-ci.",
  "provider.legend": "Outil de newsletter",
  "provider.mailchimp.hint": "Les clients vont dans une audience Mailchimp.",
  "provider.brevo.hint": "Les clients vont dans une liste de contacts Brevo.",
  "providerKey.title": "Collez votre clé d'API {service}",
  "providerKey.current":
    "Une clé {service} se terminant par …{last4} est enregistrée. Collez-en une nouvelle pour la remplacer.",
  "providerKey.mailchimp.where":
    "Dans Mailchimp, cliquez sur votre photo de profil, puis Profil, Extras, Clés API.",
  "providerKey.mailchimp.create":
    "Cliquez sur Créer une clé, nommez-la « Passerelle OFN » et copiez la clé en entier.",
  "providerKey.brevo.where": "Dans Brevo, ouvrez le menu sous votre nom, puis SMTP et API, Clés API.",
  "providerKey.brevo.create":
    "Cliquez sur Générer une nouvelle clé API, nommez-la « Passerelle OFN » et copiez-la.",
  "providerKey.paste": "Collez-la ci-dessous. Elle est vérifiée auprès du service immédiatement.",
  "providerKey.label": "Clé d'API {service}",
  "providerKey.mailchimp.hint": "Elle se termine par un tiret et votre centre de données, par exemple -us21.",
  "providerKey.brevo.hint": "Elle commence par xkeysib-.",
  "providerKey.storage":
    "La clé est stockée chiffrée et n'est plus jamais affichée : seulement ses 4 derniers caractères.",
  "providerKey.submit": "Vérifier la clé et continuer",
  "providerKey.other": "Choisir l'autre outil",
  "providerKey.problem.blank": "Le champ de la clé est vide. Collez votre clé d'API {service}.",
  "providerKey.problem.format":
    "Ce n'est pas une clé d'API {service}. Copiez de nouveau la clé en entier ; rien n'a été envoyé à {service}.",
  "providerKey.problem.refused":
    "{service} n'a pas accepté cette clé. Elle est peut-être mal copiée, désactivée ou supprimée. Créez une nouvelle clé dans {service} et collez-la.",
  "providerKey.problem.unreachable":
    "{service} n'a pas pu être joint, la clé n'a donc pas été vérifiée. Réessayez dans quelques minutes.",
  "audience.title": "Où vos clients doivent-ils aller ?",
  "audience.lead":
    "Choisissez l'audience ou la liste qui reçoit vos clients OFN. Vos annonces lui sont envoyées.",
  "audience.legend.mailchimp": "Audience Mailchimp",
  "audience.legend.brevo": "Liste Brevo",
  "audience.members": "{n} contacts",
  "audience.doubleOptIn": "double opt-in activé",
  "audience.none":
    "Votre compte {service} n'a encore ni audience ni liste. Créez-en une dans {service}, puis rechargez cette page.",
  "audience.error.choose": "Choisissez une audience ou une liste.",
  "consent.title": "Consentement des nouveaux contacts",
  "consent.lead":
    "OFN n'enregistre pas si un client a accepté de recevoir des newsletters. Indiquez à la passerelle quoi faire des clients qui sont nouveaux dans votre outil de newsletter.",
  "consent.existing":
    "Les contacts déjà présents dans votre outil de newsletter gardent toujours leur statut : toute personne désabonnée le reste.",
  "consent.legend": "Ce que reçoivent les nouveaux contacts",
  "consent.nonMarketing": "Non abonnés : simples fiches clients",
  "consent.nonMarketing.hint":
    "Ils sont ajoutés sans abonnement (« transactional » dans Mailchimp ; dans Brevo, créés mais pas ajoutés à la liste). Ils ne reçoivent aucune newsletter tant qu'ils ne s'abonnent pas eux-mêmes. Rien n'est supposé : c'est toujours légal.",
  "consent.doubleOptIn": "Leur demander d'abord (double opt-in)",
  "consent.doubleOptIn.hint":
    "Chaque nouveau contact reçoit un e-mail lui demandant de confirmer. Seuls ceux qui cliquent deviennent abonnés. Vous obtenez ainsi une preuve de consentement ; certains ne répondront pas.",
  "consent.doubleOptIn.hintBrevo":
    "Chaque nouveau contact reçoit un e-mail de confirmation Brevo (votre modèle double opt-in Brevo) et n'entre dans la liste qu'après avoir cliqué. Vous obtenez une preuve de consentement ; chaque e-mail compte dans vos envois Brevo.",
  "consent.subscribed": "Abonnés : j'ai déjà leur consentement",
  "consent.subscribed.hint":
    "Les nouveaux contacts sont abonnés tout de suite et reçoivent vos newsletters. Ne choisissez ceci que si chaque client a accepté de recevoir votre newsletter (par exemple une case cochée). Selon le RGPD, vous devez pouvoir prouver ce consentement ; vous en êtes responsable.",
  "consent.requireTag": "Seulement les clients ayant cette étiquette OFN (facultatif)",
  "consent.requireTag.hint":
    "Par exemple newsletter. Laissez vide pour inclure tous les clients des entreprises choisies.",
  "consent.gone.legend": "Clients qui ne sont plus dans OFN",
  "consent.gone.keep": "Les laisser tels quels",
  "consent.gone.keep.hint": "Ils restent intacts dans votre outil de newsletter.",
  "consent.gone.removeTag": "Leur retirer les étiquettes de la passerelle",
  "consent.gone.removeTag.hint":
    "Ils restent dans votre outil de newsletter avec leur statut d'abonnement ; seules les étiquettes ajoutées par la passerelle sont retirées.",
  "consent.brevoDoi": "Numéro du modèle double opt-in Brevo",
  "consent.brevoDoi.hint":
    "Nécessaire pour « Leur demander d'abord » avec Brevo. Dans Brevo, créez un modèle de type Double opt-in (il contient le lien de confirmation) ; son numéro figure à côté de son nom dans la liste des modèles.",
  "consent.error.brevoDoi": "Le numéro du modèle est un nombre entier, par exemple 12.",
  "consent.error.brevoDoiMissing":
    "Brevo a besoin d'un modèle double opt-in pour demander d'abord aux nouveaux contacts : saisissez son numéro.",
  "consent.error.choose": "Choisissez ce que reçoivent les nouveaux contacts.",
  "consent.error.tag": "L'étiquette doit faire 100 caractères au plus.",
  "schedule.title": "À quelle fréquence synchroniser",
  "schedule.lead":
    "La passerelle lit vos clients OFN et met à jour votre outil de newsletter à ce rythme. Vous pouvez aussi synchroniser à la main depuis le tableau de bord.",
  "schedule.mode.legend": "Type de fréquence",
  "schedule.mode.interval": "À intervalle régulier",
  "schedule.mode.cron": "À des heures fixes (expression cron)",
  "schedule.mode.cron.hint": "Pour qui connaît cron : cinq champs, dans votre fuseau horaire.",
  "schedule.interval.label": "Intervalle",
  "schedule.interval.hours": "Toutes les {n} heures",
  "schedule.interval.days": "Tous les {n} jours",
  "schedule.interval.daily": "Une fois par jour",
  "schedule.interval.weekly": "Une fois par semaine",
  "schedule.cron.label": "Expression cron",
  "schedule.cron.hint":
    "Par exemple 0 6 * * 1 = chaque lundi à 06:00. Utilisée seulement avec « À des heures fixes ».",
  "schedule.timeZone": "Votre fuseau horaire",
  "schedule.timeZone.hint": "Utilisé pour la fréquence et pour les dates de vos newsletters.",
  "schedule.error.cron":
    "Saisissez une expression cron de cinq champs dont le premier (la minute) est un seul nombre, par exemple 0 6 * * 1.",
  "template.title": "Votre annonce de cycle de vente",
  "template.lead":
    "Cette newsletter part quand l'un de vos cycles de vente ouvre. Les mots entre doubles accolades sont remplacés par les informations du cycle.",
  "template.locale": "Langue de la newsletter",
  "template.fromName": "Nom de l'expéditeur",
  "template.fromName.hint":
    "Ce que vos clients voient comme expéditeur, en général le nom de votre boutique.",
  "template.replyTo": "Adresse de l'expéditeur",
  "template.replyTo.hint":
    "Adresses connues de votre outil de newsletter. Une adresse marquée non vérifiée doit être vérifiée dans l'outil avant l'envoi.",
  "template.replyTo.hintNone":
    "Une adresse vérifiée dans votre outil de newsletter ; les réponses y arrivent.",
  "template.sender.unverified": "non vérifiée",
  "template.delivery.legend": "Quand un cycle de vente ouvre",
  "template.delivery.sendNow": "Envoyer la newsletter tout de suite",
  "template.delivery.schedule": "La programmer {minutes} minutes après l'ouverture",
  "template.delivery.draft": "La préparer en brouillon : je l'envoie moi-même depuis mon outil de newsletter",
  "template.subject": "Objet",
  "template.body": "Message (Markdown)",
  "template.body.hint": "Mots disponibles :",
  "template.previewButton": "Afficher l'aperçu",
  "template.preview.title": "Aperçu",
  "template.preview.hint":
    "Avec un exemple de cycle de vente qui ouvre maintenant et ferme dans une semaine.",
  "template.preview.subject": "Objet :",
  "template.preview.unknown": "Ces mots ne sont pas connus et resteront tels quels : {names}",
  "template.error.fromName": "Saisissez un nom d'expéditeur (100 caractères au plus).",
  "template.error.replyTo": "Saisissez ou choisissez une adresse e-mail d'expéditeur valide.",
  "template.error.subject": "Saisissez un objet (150 caractères au plus).",
  "template.error.body": "Rédigez le message (20 000 caractères au plus).",
  "webhookStep.create": "Créer mon URL de webhook",
  "webhookStep.exists":
    "Votre URL de webhook a été affichée à sa création et n'est pas stockée en clair : elle ne peut pas être réaffichée. Si vous l'avez perdue, créez-en une nouvelle.",
  "webhookStep.shownOnce":
    "Cette URL n'est affichée que maintenant. Copiez-la dans OFN avant de quitter cette page.",
  "webhookStep.urlLabel": "Votre URL de webhook",
  "webhookStep.toDashboard": "Aller au tableau de bord",
  "webhookStep.notPublic":
    "L'adresse de cette passerelle ({url}) n'est pas joignable depuis internet : OFN ne peut donc pas l'appeler. Demandez à la personne qui gère cette passerelle de régler son adresse publique.",
  "upstream.ofnRefused":
    "OFN n'accepte plus votre clé enregistrée : elle a sans doute été régénérée. Collez votre clé OFN actuelle.",
  "upstream.providerRefused":
    "{service} n'accepte plus votre clé enregistrée. Collez une nouvelle clé {service}.",
  "upstream.unreachable": "{service} n'a pas pu être joint pour le moment. Réessayez dans quelques minutes.",
  "upstream.fixOfnKey": "Coller une nouvelle clé OFN",
  "upstream.fixProviderKey": "Coller une nouvelle clé {service}",
  "upstream.retry": "Réessayer",
  "dashboard.title": "Tableau de bord",
  "dashboard.finish.title": "Terminez le réglage",
  "dashboard.finish.body":
    "Il manque encore des étapes avant que vos clients soient synchronisés et vos cycles de vente annoncés.",
  "dashboard.finish.action": "Continuer le réglage",
  "dashboard.notice.saved": "Vos modifications sont enregistrées.",
  "dashboard.notice.keyReplaced": "Votre nouvelle clé OFN fonctionne et est enregistrée.",
  "dashboard.notice.disconnected":
    "Votre outil de newsletter est déconnecté ; sa clé est supprimée de la passerelle.",
  "dashboard.notice.testSent":
    "L'e-mail de test est envoyé. Regardez votre boîte de réception (et les indésirables).",
  "dashboard.notice.testFailed":
    "L'e-mail de test n'a pas pu être envoyé. La raison et quoi faire sont dans la liste des campagnes ci-dessous.",
  "dashboard.notice.retried": "La campagne va être retentée dans un instant.",
  "health.title": "Connexions",
  "health.ofn": "Open Food Network",
  "health.provider": "Outil de newsletter",
  "health.status.ok": "Fonctionne",
  "health.status.broken": "Demande votre attention",
  "health.status.paused": "En pause",
  "health.ofn.detail": "{instance}, clé se terminant par …{last4}",
  "health.ofn.brokenAdvice":
    "OFN a refusé votre clé : les synchronisations et annonces sont arrêtées. OFN remplace une clé quand elle est régénérée : collez votre clé actuelle.",
  "health.ofn.replaceKey": "Remplacer la clé OFN",
  "health.provider.detail": "{account}, audience {audience}, clé se terminant par …{last4}",
  "health.provider.noAudience": "non choisie",
  "health.provider.none": "Aucun outil de newsletter n'est connecté : rien n'est synchronisé ni annoncé.",
  "health.provider.connect": "Connecter Mailchimp ou Brevo",
  "health.provider.brokenAdvice":
    "{service} a refusé votre clé : les synchronisations et annonces sont arrêtées. Créez une nouvelle clé dans {service} et collez-la ici.",
  "health.provider.chooseAudience": "Choisissez l'audience qui reçoit vos clients",
  "health.provider.replaceKey": "Remplacer la clé {service}",
  "sync.title": "Synchronisation des clients",
  "sync.last": "Dernière synchronisation",
  "sync.next": "Prochaine synchronisation",
  "sync.never": "Aucune pour l'instant",
  "sync.notPlanned": "Pas encore prévue : enregistrez l'étape de fréquence",
  "sync.now": "Synchroniser maintenant",
  "sync.notReady": "Choisissez au moins une entreprise à synchroniser et une audience avant de synchroniser.",
  "sync.status.queued": "En attente",
  "sync.status.running": "En cours",
  "sync.status.succeeded": "Terminée",
  "sync.status.failed": "Échouée",
  "sync.progress.label": "Avancement",
  "sync.progress.percent": "{percent} % effectué",
  "sync.count.new": "{n} nouveaux",
  "sync.count.updated": "{n} mis à jour",
  "sync.count.unchanged": "{n} inchangés",
  "sync.count.invalid": "{n} e-mails invalides",
  "sync.count.skippedConsent": "{n} écartés (filtre d'étiquette)",
  "sync.count.failed": "{n} refusés par l'outil de newsletter",
  "sync.count.removed": "{n} disparus d'OFN",
  "sync.count.nothing": "Aucun changement",
  "sync.failed.generic": "La synchronisation a échoué. Elle sera retentée à la prochaine échéance.",
  "sync.history.title": "Synchronisations récentes",
  "sync.history.empty": "Aucune synchronisation pour l'instant.",
  "sync.history.when": "Début",
  "sync.history.status": "État",
  "sync.history.result": "Résultat",
  "sync.run.title": "Synchronisation du {when}",
  "sync.refresh": "Rechargez cette page pour voir l'avancement",
  "sync.run.titleShort": "Synchronisation",
  "sync.run.finished": "Fin",
  "sync.run.warnings": "Avertissements",
  "sync.run.invalid": "Adresses e-mail invalides",
  "sync.run.invalid.hint":
    "Ces clients ont été écartés. Corrigez leur e-mail dans OFN ; la prochaine synchronisation les prendra.",
  "campaigns.title": "Newsletters",
  "campaigns.empty":
    "Aucune newsletter pour l'instant. Elle apparaît ici quand un cycle de vente ouvre, ou quand vous essayez les boutons ci-dessus.",
  "campaigns.col.cycle": "Cycle de vente",
  "campaigns.col.status": "État",
  "campaigns.col.when": "Quand",
  "campaigns.col.actions": "Actions",
  "campaigns.open": "Ouvrir dans l'outil de newsletter",
  "campaigns.simulated": "simulation",
  "campaigns.test.label": "Envoyer un test de votre newsletter à",
  "campaigns.test.hint": "Utilise un exemple de cycle de vente ; seule cette adresse le reçoit.",
  "campaigns.test.hintBrevo":
    "Brevo n'envoie de tests qu'aux adresses qui sont des contacts de votre compte Brevo. Utilise un exemple de cycle de vente ; seule cette adresse le reçoit.",
  "campaigns.test.invalid": "Saisissez une adresse e-mail valide pour le test.",
  "campaigns.simulate.hint":
    "OFN n'a pas de bouton de test pour l'ouverture d'un cycle de vente. Ceci fait passer un exemple dans la passerelle : la newsletter est préparée en brouillon et un test vous est envoyé ; vos clients ne reçoivent rien.",
  "deliveries.title": "Messages reçus d'OFN",
  "deliveries.hint": "Chaque fois qu'OFN appelle votre URL de webhook, cela apparaît ici.",
  "deliveries.empty": "Rien reçu d'OFN pour l'instant.",
  "deliveries.col.when": "Reçu",
  "deliveries.col.event": "Événement",
  "deliveries.col.outcome": "Ce qui s'est passé",
  "deliveries.cycle": "cycle de vente {id}",
  "deliveries.times": "(reçu {n} fois)",
  "settings.title": "Réglages",
  "settings.change": "Modifier",
  "settings.changeLabel": "Modifier : {what}",
  "settings.tag": "seulement l'étiquette {tag}",
  "settings.every": "toutes les {n} heures",
  "settings.template": "Objet, message, expéditeur et langue",
  "settings.webhook.set": "Créée",
  "settings.webhook.unset": "Pas encore créée",
  "replaceOfn.title": "Remplacer votre clé OFN",
  "replaceOfn.lead":
    "La clé enregistrée se termine par …{last4}. Collez votre clé OFN actuelle : elle est vérifiée avant de remplacer l'ancienne.",
  "replaceOfn.submit": "Vérifier et enregistrer la clé",
  "danger.title": "Déconnecter et supprimer",
  "danger.disconnect": "Déconnecter {service}",
  "danger.disconnect.title": "Déconnecter {service} ?",
  "danger.disconnect.body":
    "La passerelle supprime votre clé {service} et arrête de synchroniser et d'annoncer. Vos contacts et campagnes dans {service} ne sont pas touchés.",
  "danger.disconnect.after":
    "Vous pouvez reconnecter Mailchimp ou Brevo à tout moment depuis le tableau de bord.",
  "danger.disconnect.confirm": "Oui, déconnecter {service}",
  "danger.delete": "Tout supprimer sur cette boutique",
  "danger.delete.title": "Tout supprimer sur cette boutique ?",
  "danger.delete.body":
    "La passerelle supprime vos clés, vos réglages, votre modèle, et l'historique des synchronisations, messages et newsletters. C'est irréversible.",
  "danger.delete.provider":
    "Vos contacts et campagnes dans Mailchimp ou Brevo y restent : supprimez-les dans cet outil si vous le souhaitez.",
  "danger.delete.ofn":
    "Dans OFN, retirez l'URL de webhook des Paramètres développeur : elle ne fonctionne plus.",
  "danger.delete.confirm": "Oui, tout supprimer",
};
