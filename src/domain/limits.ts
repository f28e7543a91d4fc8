/**
 * How much people may type in each field: the forms offer these limits and the flows check them,
 * from one number each.
 */
export const NOTE_MAX_LENGTH = 3000;
export const RESOLUTION_MAX_LENGTH = 2000;
export const UPDATE_TEXT_MAX_LENGTH = 2000;
