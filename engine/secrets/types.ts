/**
 * Where `{{secrets.NAME}}` in a connector's inputs is resolved (Camunda 8's
 * syntax). The value is read at the moment of use and never written back to
 * variables, logs, audit, transcripts or incidents: whoever resolves one
 * registers the value with the redaction (engine/security) first.
 */
export interface SecretResolver {
  /** The secret's value, or undefined when no source holds it. */
  get(name: string): Promise<string | undefined>;
}

/** A secret's name: what `{{secrets.NAME}}` may name (letters, digits, `_`, `-`, `.`; a letter or `_` first). */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
