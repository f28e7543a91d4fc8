/**
 * Characters that never belong in what people type into an incident: control characters (other
 * than newline and tab), zero-width characters, and bidirectional overrides that can make a note
 * read differently from what it says.
 */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Typed text without the characters above, trimmed. */
export const cleanTypedText = (text: string) => text.replace(INVISIBLE, '').trim();
