/** Comparing what two encryptions of one file wrote, with what differs by design taken out. */

/** A file with everything random or time-dependent replaced, so two encryptions compare. */
export function layout(text: string): string {
  return text
    .replace(/ENC\[AES256_GCM,data:[^\]]*\]/g, 'ENC[...]')
    .replace(/-----BEGIN AGE ENCRYPTED FILE-----(\\n|\n)[\s\S]*?-----END AGE ENCRYPTED FILE-----/g, 'AGE')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'TIME');
}
