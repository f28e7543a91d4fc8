/** What the declare form and Edit details say about incident types and their fields. */
export const UNKNOWN_TYPE = 'This type is no longer configured; choose another.';
export const CHOOSE_TYPE_AGAIN = "This type's fields did not appear: choose the type again to show them.";
export const NO_DETAILS = "This incident's type has no fields to edit.";
export const NOTHING_CHANGED = 'Nothing changed.';
export const detailsEdited = (count: number) => `Details updated (${count} field${count === 1 ? '' : 's'}).`;
/** The timeline entry of one field's edit. */
export const detailEditedEntry = (label: string, from: string, to: string) => `${label}: ${from} → ${to}`;
/** Why a type's user group brought no one into the channel. */
export const typeUserGroupMissing = (handle: string, typeKey: string) =>
  `the user group @${handle} does not exist or has no members; invite its people by hand (check user_group of the type ${typeKey} in the configuration file).`;
