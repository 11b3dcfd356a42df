// How long a library search may be: the core refuses a longer one (library:list, export:batch), and the
// search boxes take no more (a longer paste is cut to it), so what a user types is always searchable.
// In UTF-16 code units, as both zod's max and an input's maxLength count.

export const SEARCH_MAX_LENGTH = 200;
