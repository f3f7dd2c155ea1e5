import { localeOf, type Message } from '../i18n/index.js';
import type { Language, Settings } from '../models.js';
import { TIME_ZONES, type SettingsInput, type SettingsService } from './settings.js';

/** A settings screen's form as typed: text fields as strings, checkboxes as whether they were ticked. */
export type FormValues = Record<string, string | boolean>;

/**
 * WordPress shows some numeric settings as a checkbox and a number ("close comments on posts older than [14] days");
 * here they are one number, and an unticked box stores `off`.
 */
export interface Toggle {
  box: string;
  setting: keyof Settings;
  off: number;
  /** What the number field offers while the box is unticked: WordPress's default. */
  shown: number;
  /** Said when the box is ticked but the number is unusable (or would mean "off"). */
  problem: Message;
}

export interface Screen {
  path: string;
  view: string;
  texts: (keyof Settings)[];
  checkboxes: (keyof Settings)[];
  toggles: Toggle[];
}

export const SCREENS: Screen[] = [
  {
    path: '/settings/', view: 'admin/settings-general', checkboxes: [], toggles: [],
    texts: ['title', 'tagline', 'publicUrl', 'language', 'timeZone', 'postsPerPage'],
  },
  {
    path: '/settings/discussion/', view: 'admin/settings-discussion',
    texts: ['moderationLinks', 'moderationKeys', 'disallowedKeys', 'commentsPerPage'],
    checkboxes: ['requireNameEmail', 'requirePreviouslyApproved', 'pageComments', 'useGravatar', 'commentsNotify', 'moderationNotify'],
    toggles: [
      { box: 'threadComments', setting: 'threadDepth', off: 1, shown: 5, problem: 'admin.settings.error.threadDepth' },
      { box: 'closeComments', setting: 'closeCommentsAfterDays', off: 0, shown: 14, problem: 'admin.settings.error.closeCommentsAfterDays' },
    ],
  },
  { path: '/settings/media/', view: 'admin/settings-media', texts: ['maxUploadMb'], checkboxes: [], toggles: [] },
];

/** A zone of the select: its id as the value, the place as the label, and the zone's name in a language where Intl has one. */
export interface ZoneOption {
  value: string;
  label: string;
  /** "Jakarta (Western Indonesia Time)" in English, "Jakarta (Waktu Indonesia Barat)" in Indonesian. */
  named(language: Language): string;
}

/** A group of the time zone select: a region as IANA names it, or (`current`) the unlisted zone, labelled by the screen. */
export interface ZoneGroup {
  label: string;
  current?: true;
  options: ZoneOption[];
}

const zoneNames = new Map<string, string>();

/** The zone's generic name ("Waktu Indonesia Barat"), or '' where Intl only knows an offset ("GMT+07.00"). */
function zoneName(zone: string, language: Language): string {
  const key = `${language}|${zone}`;
  let name = zoneNames.get(key);
  if (name === undefined) {
    try {
      const parts = new Intl.DateTimeFormat(localeOf(language), { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(0);
      name = parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
    } catch {
      name = ''; // An unlisted zone Intl does not know.
    }
    if (/^(GMT|UTC)([+\-\u2212]|$)/.test(name)) name = '';
    zoneNames.set(key, name);
  }
  return name;
}

const zoneOption = (value: string, label: string): ZoneOption => ({
  value,
  label,
  named(language) {
    const name = zoneName(value, language);
    return name && name !== label ? `${label} (${name})` : label;
  },
});

/** The time zone choices grouped by region, as WordPress's select shows them. */
const ZONE_GROUPS: ZoneGroup[] = (() => {
  const groups = new Map<string, ZoneOption[]>();
  for (const zone of TIME_ZONES) {
    const [region, ...place] = zone.split('/');
    const group = place.length ? region : 'UTC';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push(zoneOption(zone, place.length ? place.join(' – ').replace(/_/g, ' ') : zone));
  }
  return [...groups].map(([label, options]) => ({ label, options }));
})();

/** An unlisted zone (stored earlier, or typed in a refused form) stays shown and selected rather than silently replaced. */
export const zoneChoices = (current: string): ZoneGroup[] =>
  current && !TIME_ZONES.includes(current) ? [{ label: '', current: true, options: [zoneOption(current, current)] }, ...ZONE_GROUPS] : ZONE_GROUPS;

export const fromSettings = (screen: Screen, site: Settings): FormValues => ({
  ...Object.fromEntries(screen.texts.map((key) => [key, String(site[key])])),
  ...Object.fromEntries(screen.checkboxes.map((key) => [key, site[key] === true])),
  ...Object.fromEntries(screen.toggles.flatMap(({ box, setting, off, shown }) => {
    const on = site[setting] !== off;
    return [[box, on], [setting, String(on ? site[setting] : shown)]];
  })),
});

export const toSettings = (screen: Screen, values: FormValues): SettingsInput => ({
  ...Object.fromEntries([...screen.texts, ...screen.checkboxes].map((key) => [key, values[key]])),
  ...Object.fromEntries(screen.toggles.map(({ box, setting, off }) => [setting, values[box] ? values[setting] : off])),
});

export function problems(screen: Screen, values: FormValues, settings: SettingsService): Record<string, Message> {
  const input = toSettings(screen, values);
  const errors = settings.validate(input);
  for (const { box, setting, off, problem } of screen.toggles) {
    if (values[box] && (errors[setting] || String(values[setting]).trim() === String(off))) errors[setting] = problem;
  }
  return errors;
}
