/**
 * The master-key stanzas a sops file can carry, as parsed from its metadata. Each holds its
 * own encrypted copy of the data key (or of a Shamir share of it) in `enc`.
 */
export type MasterKey =
  | { readonly type: 'age'; readonly recipient: string; readonly enc: string }
  | { readonly type: 'pgp'; readonly fp: string; readonly enc: string; readonly createdAt?: string }
  | {
      readonly type: 'kms';
      readonly arn: string;
      readonly role?: string;
      readonly context: Readonly<Record<string, string>>;
      readonly awsProfile?: string;
      readonly enc: string;
      readonly createdAt?: string;
    }
  | {
      readonly type: 'gcp_kms';
      readonly resourceId: string;
      readonly enc: string;
      readonly createdAt?: string;
    }
  | {
      readonly type: 'azure_kv';
      readonly vaultUrl: string;
      readonly name: string;
      readonly version: string;
      readonly enc: string;
      readonly createdAt?: string;
    }
  | {
      readonly type: 'hc_vault';
      readonly vaultAddress: string;
      readonly enginePath: string;
      readonly keyName: string;
      readonly enc: string;
      readonly createdAt?: string;
    }
  | { readonly type: 'hckms'; readonly keyId: string; readonly enc: string; readonly createdAt?: string };

export type MasterKeyType = MasterKey['type'];

/** A short human name for a key, used in the key report (never includes `enc`). */
export function describeMasterKey(key: MasterKey): string {
  switch (key.type) {
    case 'age':
      return `age ${key.recipient}`;
    case 'pgp':
      return `pgp ${key.fp}`;
    case 'kms':
      return `aws kms ${key.arn}${key.role === undefined ? '' : ` (role ${key.role})`}`;
    case 'gcp_kms':
      return `gcp kms ${key.resourceId}`;
    case 'azure_kv':
      return `azure key vault ${key.vaultUrl} key ${key.name}/${key.version}`;
    case 'hc_vault':
      return `vault transit ${key.vaultAddress}/v1/${key.enginePath}/keys/${key.keyName}`;
    case 'hckms':
      return `huaweicloud kms ${key.keyId}`;
  }
}

/** A stanza type's fields without the data it carries: what a data key is wrapped for. */
type WithoutEnc<K> = K extends MasterKey ? Omit<K, 'enc'> : never;

/**
 * A master key to encrypt a new data key for, as a `.sops.yaml` creation rule or a flag names
 * it: the stanza it becomes, before `enc` exists.
 */
export type KeyRecipient = WithoutEnc<MasterKey>;
