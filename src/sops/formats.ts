/** Format detection and the store for each format, as the sops CLI picks them. */
import { binaryStore } from './stores/binary.ts';
import { dotenvStore } from './stores/dotenv.ts';
import { iniStore } from './stores/ini.ts';
import { jsonStore } from './stores/json.ts';
import { yamlStore } from './stores/yaml.ts';
import type { Format, Store } from './tree.ts';

export { formatFromPath, parseFormat } from './format-names.ts';

export function storeFor(format: Format): Store {
  switch (format) {
    case 'yaml':
      return yamlStore;
    case 'json':
      return jsonStore;
    case 'dotenv':
      return dotenvStore;
    case 'ini':
      return iniStore;
    case 'binary':
      return binaryStore;
  }
}

/** Marker bytes that say a file is SOPS-encrypted in a format (Flux's list). */
export const SOPS_MARKERS: Readonly<Record<Format, string>> = {
  yaml: 'mac: ENC[',
  json: '"mac": "ENC[',
  // A binary file is a JSON envelope at rest.
  binary: '"mac": "ENC[',
  dotenv: 'sops_mac=ENC[',
  ini: '[sops]',
};

/** The format whose marker the data carries, Flux's detectFormatFromMarkerBytes. */
export function detectSopsFormat(text: string): Format | undefined {
  for (const format of ['json', 'dotenv', 'ini', 'yaml'] as const) {
    if (text.includes(SOPS_MARKERS[format])) return format;
  }
  return undefined;
}
