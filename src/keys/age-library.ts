/**
 * The age-encryption library, behind a dynamic import of this module so that it gets a chunk
 * of its own (`age-library-*.js`) in dist: only post-quantum and SSH identities, and
 * `encrypt`, need it, and its set-up costs every other start about 18 ms (bench/startup).
 */
export { armor, Decrypter, Encrypter } from 'age-encryption';
