/** The console's sections, in the order of its tabs (each has a `tab.<name>` catalogue key). */
export const TABS = ['queue', 'results', 'settings', 'credentials', 'audit'] as const;
export type Tab = (typeof TABS)[number];
