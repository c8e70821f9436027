import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { SUPPRESSED_DESCRIPTION, SUPPRESSED_LABEL } from '#domain/statistics/disclosure/index.js';

/**
 * The figures as the monitor shows them: the exact counts (GET /v1/statistics) or the public release
 * (GET /v1/public/statistics), which has the same shape with `null` for a suppressed count and a `release`.
 * Only what the page shows is named here, so that either answer fits.
 */
export type Count = number | null;
export type CountTable = Readonly<Record<string, Count>>;

export interface Release {
  releasedAt: string;
  nextPossibleAt: string;
}

export interface Figures {
  region: string;
  from: number;
  to: number;
  province?: string;
  municipality?: string;
  /** The routes whose signals were left out (excludeRoute); absent: all signals. */
  excludeRoute?: readonly string[];
  generatedAt: string;
  updatedAt?: string | null;
  total: Count;
  previousYear: Count;
  byYear: CountTable;
  byForm: CountTable;
  byMunicipality: CountTable;
  byExploitationMunicipality: CountTable;
  bySourceType: CountTable;
  byChannel: CountTable;
  byMonth: CountTable;
  byMinors: CountTable;
  bySector: CountTable;
  byRoute: CountTable;
  warnings?: readonly { code: string; message: string; count?: number }[];
  /** Only in the public release: when it was made and when the next may be made. */
  release?: Release;
}

/** The public answer before the region's first release: no figures, a notice. */
export interface Unreleased {
  region: string;
  from: number;
  to: number;
  province?: string;
  municipality?: string;
  release: null;
  notice: string;
}

/** What the monitor shows: figures, or (public, before the first release) a notice. */
export type MonitorAnswer = Figures | Unreleased;
export const isUnreleased = (answer: MonitorAnswer): answer is Unreleased => answer.release === null;

/** Exact figures for a key holder, or the public release for anyone. */
export type FiguresMode = 'exact' | 'public';
export const modeOf = (answer: MonitorAnswer): FiguresMode => (answer.release === undefined ? 'exact' : 'public');

/** What a suppressed count (null) shows, and what it means in words: the disclosure policy's own (docs/disclosure.md). */
export { SUPPRESSED_DESCRIPTION, SUPPRESSED_LABEL };

const TIME_ZONE = 'Europe/Amsterdam';
const numberFormat = new Intl.NumberFormat('nl-NL');
const dateTimeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const timeFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const yearFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric' });

/** A count as the page shows it: 1.234, or the suppressed label. */
export const formatCount = (count: Count): string => (count === null ? SUPPRESSED_LABEL : numberFormat.format(count));
export const formatNumber = (n: number): string => numberFormat.format(n);

/** "3 juni 2025 om 14:05", in Dutch time wherever the page is rendered. */
export const formatDateTime = (iso: string): string => dateTimeFormat.format(new Date(iso));
/** "14:05:09", in Dutch time. */
export const formatTime = (iso: string): string => timeFormat.format(new Date(iso));
/** The year in the Netherlands at that moment. */
export const yearAt = (iso: string): number => Number(yearFormat.format(new Date(iso)));

export const MONTH_NAMES = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** "maart 2025" for 2025-03. */
export function monthLabel(code: string): string {
  const [year, month] = code.split('-');
  const name = MONTH_NAMES[Number(month) - 1];
  return name && year ? `${name} ${year}` : code;
}

const FORM_LABELS: Record<string, string> = {
  seksueel: 'Seksuele uitbuiting',
  arbeid: 'Arbeidsuitbuiting',
  crimineel: 'Criminele uitbuiting',
  orgaanverwijdering: 'Orgaanhandel',
  [UNKNOWN]: 'Vorm onbekend',
};

const SOURCE_LABELS: Record<string, string> = {
  gemeente: 'Gemeente',
  politie: 'Politie',
  marechaussee: 'Koninklijke Marechaussee',
  arbeidsinspectie: 'Nederlandse Arbeidsinspectie',
  'veilig-thuis': 'Veilig Thuis',
  zorg: 'Zorg en hulpverlening',
  asielopvang: 'Asielopvang',
  'openbaar-ministerie': 'Openbaar Ministerie',
  burger: 'Bewoner of omstander',
  overig: 'Andere organisatie',
  [UNKNOWN]: 'Onbekend',
};

const CHANNEL_LABELS: Record<string, string> = { api: 'Koppeling met een partner', web: 'Meldformulier', email: 'E-mail' };

const MINORS_LABELS: Record<string, string> = { ja: 'Ja', nee: 'Nee', [UNKNOWN]: 'Onbekend' };

const SECTOR_LABELS: Record<string, string> = {
  'land-en-tuinbouw': 'Land- en tuinbouw',
  horeca: 'Horeca',
  bouw: 'Bouw',
  schoonmaak: 'Schoonmaak',
  logistiek: 'Logistiek en transport',
  vleesverwerking: 'Vleesverwerking',
  huishouden: 'Huishoudelijk werk',
  prostitutie: 'Prostitutie',
  online: 'Online',
  overig: 'Andere sector',
  [UNKNOWN]: 'Onbekend',
};

/** The tables the monitor shows, by their name in the statistics answer (and in its CSV `table`). */
export type MonitorTable =
  | 'byYear'
  | 'byForm'
  | 'byMunicipality'
  | 'byExploitationMunicipality'
  | 'bySourceType'
  | 'byChannel'
  | 'byMonth'
  | 'byMinors'
  | 'bySector'
  | 'byRoute';

/** The regional table's routes (the latest decision), as the Drenthe report names them. */
const ROUTE_LABELS: Record<string, string> = {
  zorg: 'Zorg',
  'zorg-en-strafrecht': 'Zorg en strafrecht',
  riec: 'RIEC',
  advies: 'Advies',
  'geen-vervolg': 'Geen vervolg',
  'geen-besluit': 'Nog geen besluit',
};

const municipalityName = (code: string) => (code === UNKNOWN ? 'Onbekend' : (geography.municipality(code)?.name ?? code));

const labelFrom = (labels: Record<string, string>) => (code: string) => (Object.hasOwn(labels, code) ? labels[code]! : code);

/** A web reporter who said they work for an organisation, unconfirmed: `web-onbevestigd:zorg`. */
function sourceLabel(code: string): string {
  const unconfirmed = /^web-onbevestigd:(.+)$/.exec(code);
  if (unconfirmed) return `${labelFrom(SOURCE_LABELS)(unconfirmed[1]!)} (meldformulier, niet bevestigd)`;
  return labelFrom(SOURCE_LABELS)(code);
}

const LABELS: Record<MonitorTable, (code: string) => string> = {
  byYear: (code) => code,
  byForm: labelFrom(FORM_LABELS),
  byMunicipality: municipalityName,
  byExploitationMunicipality: municipalityName,
  bySourceType: sourceLabel,
  byChannel: labelFrom(CHANNEL_LABELS),
  byMonth: monthLabel,
  byMinors: labelFrom(MINORS_LABELS),
  bySector: labelFrom(SECTOR_LABELS),
  byRoute: labelFrom(ROUTE_LABELS),
};

/** A value's name in Dutch; an unforeseen code is shown as it is. */
export const valueLabel = (table: MonitorTable, code: string): string => LABELS[table](code);

/** The area the figures are of: a municipality, a province or the region, by name. */
export function areaName(figures: Pick<Figures, 'region' | 'province' | 'municipality'>): string {
  if (figures.municipality) return `gemeente ${municipalityName(figures.municipality)}`;
  if (figures.province) return geography.province(figures.province)?.name ?? figures.province;
  return geography.region(figures.region)?.name ?? figures.region;
}

/** What was left out, for beside the area: "zonder RIEC-zaken"; empty for all signals. */
export function exclusionName(figures: Pick<Figures, 'excludeRoute'>): string {
  const routes = figures.excludeRoute ?? [];
  if (routes.length === 0) return '';
  if (routes.length === 1 && routes[0] === 'riec') return 'zonder RIEC-zaken';
  const names = routes.map((route) => (route === 'riec' ? 'RIEC' : labelFrom(ROUTE_LABELS)(route).toLowerCase()));
  return `zonder signalen met route ${names.join(' of ')}`;
}

/** "2025" or "2021 tot en met 2025". */
export const periodName = (figures: Pick<Figures, 'from' | 'to'>): string =>
  figures.from === figures.to ? String(figures.from) : `${figures.from} tot en met ${figures.to}`;
