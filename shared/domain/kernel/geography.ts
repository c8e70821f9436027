import * as z from 'zod/mini';
import regionsData from './data/regions.json' with { type: 'json' };
import { foldText } from './text.js';

/** The value that stands for "not known" in every dimension; it is counted like any other. */
export const UNKNOWN = 'onbekend';

const GeographyDataSchema = z.strictObject({
  defaultRegion: z.string().check(z.minLength(1)),
  regions: z
    .array(
      z.strictObject({
        code: z.string().check(z.regex(/^[a-z0-9-]+$/)),
        name: z.string().check(z.minLength(1)),
        provinces: z.array(
          z.strictObject({
            code: z.string().check(z.regex(/^[A-Z]{2}$/)),
            name: z.string().check(z.minLength(1)),
            aliases: z.optional(z.array(z.string().check(z.minLength(1)))),
            municipalities: z.array(
              z.strictObject({
                code: z.string().check(z.regex(/^GM\d{4}$/)),
                name: z.string().check(z.minLength(1)),
                aliases: z.optional(z.array(z.string().check(z.minLength(1)))),
              }),
            ),
          }),
        ),
      }),
    )
    .check(z.minLength(1)),
});
export type GeographyData = z.infer<typeof GeographyDataSchema>;

export interface Municipality {
  code: string;
  name: string;
  province: string;
  region: string;
}

export interface Province {
  code: string;
  name: string;
  region: string;
  municipalities: Municipality[];
}

export interface Region {
  code: string;
  name: string;
  provinces: Province[];
}

/** Regions, provinces and municipalities as data: a new region is a data change, not a code change. */
export class Geography {
  readonly defaultRegion: string;
  readonly regions: Region[];
  private readonly byCode = new Map<string, Municipality>();
  private readonly byFoldedName = new Map<string, Municipality>();
  private readonly provincesByCode = new Map<string, Province>();
  private readonly provincesByFoldedName = new Map<string, Province>();

  constructor(data: GeographyData) {
    const parsed = GeographyDataSchema.parse(data);
    this.regions = parsed.regions.map((region) => ({
      code: region.code,
      name: region.name,
      provinces: region.provinces.map((province) => {
        if (this.provincesByCode.has(province.code)) throw new Error(`duplicate province ${province.code}`);
        const entry: Province = { code: province.code, name: province.name, region: region.code, municipalities: [] };
        for (const { aliases = [], ...m } of province.municipalities) {
          if (this.byCode.has(m.code)) throw new Error(`duplicate municipality ${m.code}`);
          const municipality = { ...m, province: province.code, region: region.code };
          entry.municipalities.push(municipality);
          this.byCode.set(m.code, municipality);
          for (const name of [m.name, ...aliases]) this.byFoldedName.set(foldText(name), municipality);
        }
        this.provincesByCode.set(province.code, entry);
        for (const name of [province.name, ...(province.aliases ?? [])]) this.provincesByFoldedName.set(foldText(name), entry);
        return entry;
      }),
    }));
    if (!this.region(parsed.defaultRegion)) throw new Error(`unknown default region ${parsed.defaultRegion}`);
    this.defaultRegion = parsed.defaultRegion;
  }

  region(code: string): Region | undefined {
    return this.regions.find((r) => r.code === code);
  }

  province(code: string): Province | undefined {
    return this.provincesByCode.get(code);
  }

  municipality(code: string): Municipality | undefined {
    return this.byCode.get(code.toUpperCase());
  }

  /** Finds a municipality by CBS code or name, ignoring case, diacritics and a leading "gemeente". */
  findMunicipality(codeOrName: string): Municipality | undefined {
    const folded = foldText(codeOrName).replace(/^gemeente\s+/, '');
    return this.municipality(folded) ?? this.byFoldedName.get(folded);
  }

  /** Finds a province by code or name, ignoring case, diacritics and a leading "provincie". */
  findProvince(codeOrName: string): Province | undefined {
    const folded = foldText(codeOrName).replace(/^provincie\s+/, '');
    return this.province(folded.toUpperCase()) ?? this.provincesByFoldedName.get(folded);
  }

  regionCodes(): string[] {
    return this.regions.map((r) => r.code);
  }

  provinceCodes(): string[] {
    return [...this.provincesByCode.keys()];
  }

  municipalityCodes(): string[] {
    return [...this.byCode.keys()];
  }
}

export const geography = new Geography(regionsData);
