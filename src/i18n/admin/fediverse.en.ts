/** The admin's words for the Fediverse: its settings tab, blocks, followers and the comments screen's marks. */
export const fediverseEn = {
  'admin.settings.error.fediverseHandle': 'Use 1 to 64 letters, digits, _, . or -.',
};
