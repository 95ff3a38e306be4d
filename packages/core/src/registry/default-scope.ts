/** The scope registry lookups start in (`default_scope` of the running config). */
let scope: string | undefined;

export function currentDefaultScope(): string | undefined {
  return scope;
}

/** Sets the default scope and returns a function that restores the previous one. */
export function setDefaultScope(next: string | undefined): () => void {
  const prev = scope;
  scope = next;
  return () => {
    scope = prev;
  };
}
