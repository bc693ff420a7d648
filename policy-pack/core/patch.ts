// What remediation changes, in the core's terms: rules produce it, adapters write it back in their
// provider's shape, so neither needs the other.

/** A provider-neutral change that brings a group into line; adapters write it back in their own shape. */
export interface GroupPatch {
  readonly autoRollback?: { readonly enabled: true; readonly events: readonly string[] };
  readonly alarmFlags?: { readonly enabled?: true; readonly ignorePollAlarmFailure?: false };
  readonly outdatedInstancesStrategy?: "UPDATE";
}
