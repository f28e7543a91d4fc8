/** What the declare form and Edit details say about incident types and their fields. */
export const UNKNOWN_TYPE = 'This type is no longer configured; choose another.';
export const CHOOSE_TYPE_AGAIN = "This type's fields did not appear: choose the type again to show them.";
