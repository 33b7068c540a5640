/**
 * A real peer the tests talk to (a binary, or a server on loopback). Global setup installs
 * every component, starts the servers, and records what tests need in the state file.
 */
export interface Started {
  /** What tests need to reach it: URLs, ports, file paths, tokens. Strings only. */
  readonly info: Readonly<Record<string, string>>;
  /** Stops it; must be safe to call twice. */
  stop(): Promise<void>;
}

export interface Component {
  readonly name: string;
  /** Idempotent: returns fast when the pinned version is already cached. */
  install(): Promise<void>;
  /** Starts a server on a free loopback port; absent for plain CLI tools. */
  start?(): Promise<Started>;
}
