/** English catalog: the reference set of keys. Every key must exist in fr.ts too (checked by types and a test). */
export const en = {
  "app.name": "OFN newsletter bridge",
  "lang.switch": "Français",
  "error.title": "Something went wrong",
  "error.notFound.title": "Page not found",
  "error.notFound.body": "This page does not exist. Check the address, or go back to the start.",
  "error.internal.body":
    "An unexpected error happened on our side. Please try again in a moment. If it keeps happening, give this reference to your bridge operator: {requestId}.",
  "error.generic.body": "The request could not be completed: {message}",
  "error.backHome": "Back to the start",
  "error.reference": "Reference: {requestId}",
  "error.api.internal": "Internal error. Give the request id to the operator.",
  "error.api.notFound": "No such resource.",
  "error.payloadTooLarge": "The request body is too large.",
} as const;

export type MessageKey = keyof typeof en;
