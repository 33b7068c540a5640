/**
 * The default cap on an encrypted file, apart from stage.ts so that parsing the inputs
 * (config/build.ts) at start-up does not load the staging and decryption code.
 */

/** Flux's cap on an encrypted file (5 MiB): no real secret file comes near it. */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
