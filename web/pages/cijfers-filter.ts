import { geography } from '#domain/kernel/index.js';
import { escapeHtml } from './html.js';

/** Where the monitor is, here and on AWS (CloudFront sends /cijfers* to the API). */
export const CIJFERS_PATH = '/cijfers';

/** The first year the selects offer: the statistics answer has figures from 2000 on. */
export const FIRST_YEAR = 2000;

/** How many years the page shows when the URL names none: enough for a trend. */
export const DEFAULT_YEARS = 5;

/** The filter's fields, as they are in the URL: `?van=2021&tot=2025&gebied=DR&zonder=riec`. */
export type FilterField = 'van' | 'tot' | 'gebied' | 'zonder';

/** The route the checkbox leaves out: the Drenthe report counts without the cases reported to the RIEC. */
export const WITHOUT_RIEC = 'riec';

export interface FilterState {
  /** What the URL said (or the defaults), to select in the form again. */
  values: Partial<Record<FilterField, string>>;
  /** The first message per field. */
  errors: Partial<Record<FilterField, string>>;
}

const option = (value: string, label: string, selected: boolean) =>
  `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;

const errorOf = (state: FilterState, field: FilterField) =>
  state.errors[field] ? `<p class="utrecht-form-field-error-message" id="cijfers-fout-${field}">${escapeHtml(state.errors[field])}</p>` : '';

const invalid = (state: FilterState, field: FilterField) => (state.errors[field] ? ` aria-invalid="true" aria-describedby="cijfers-fout-${field}"` : '');

function yearSelect(state: FilterState, field: 'van' | 'tot', label: string, thisYear: number): string {
  const years = Array.from({ length: thisYear - FIRST_YEAR + 1 }, (_, i) => String(thisYear - i));
  return `<div class="utrecht-form-field cijfers-filter__year${state.errors[field] ? ' utrecht-form-field--invalid' : ''}">
<label class="utrecht-form-label" for="cijfers-${field}">${label}</label>
${errorOf(state, field)}
<select class="utrecht-select" id="cijfers-${field}" name="${field}"${invalid(state, field)}>
${years.map((y) => option(y, y, state.values[field] === y)).join('')}
</select>
</div>`;
}

/** The region, its provinces, and per province its municipalities: one list, in groups. */
function areaOptions(selected: string | undefined): string {
  return geography.regions
    .map((region) => {
      const top = `<optgroup label="${escapeHtml(region.name)} en provincies">${[
        option(region.code, `${region.name} (heel de regio)`, selected === region.code),
        ...region.provinces.map((p) => option(p.code, p.name, selected === p.code)),
      ].join('')}</optgroup>`;
      const municipalities = region.provinces.map(
        (p) =>
          `<optgroup label="Gemeenten in ${escapeHtml(p.name)}">${[...p.municipalities]
            .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
            .map((m) => option(m.code, m.name, selected === m.code))
            .join('')}</optgroup>`,
      );
      return [top, ...municipalities].join('\n');
    })
    .join('\n');
}

/**
 * The filter: a plain GET form, so that the URL it leads to can be shared and works without JavaScript.
 * "Jaar" is one year (van and tot the same) or a range; "Gebied" the region, a province or a municipality;
 * "Zonder RIEC-zaken" leaves out the signals the table reported to the RIEC (excludeRoute=riec).
 */
export function filterForm(state: FilterState, thisYear: number): string {
  return `<form class="cijfers-filter" method="get" action="${CIJFERS_PATH}">
<fieldset class="utrecht-form-fieldset cijfers-filter__years${state.errors.van || state.errors.tot ? ' utrecht-form-fieldset--invalid' : ''}" aria-describedby="cijfers-jaar-uitleg">
<legend class="utrecht-form-fieldset__legend">Jaar</legend>
<p class="utrecht-form-field-description" id="cijfers-jaar-uitleg">Eén jaar: kies twee keer hetzelfde jaar.</p>
<div class="cijfers-filter__row">
${yearSelect(state, 'van', 'van', thisYear)}
${yearSelect(state, 'tot', 'tot en met', thisYear)}
</div>
</fieldset>
<div class="utrecht-form-field${state.errors.gebied ? ' utrecht-form-field--invalid' : ''}">
<label class="utrecht-form-label" for="cijfers-gebied">Gebied</label>
${errorOf(state, 'gebied')}
<select class="utrecht-select" id="cijfers-gebied" name="gebied"${invalid(state, 'gebied')}>
${areaOptions(state.values.gebied)}
</select>
</div>
<div class="utrecht-form-field utrecht-form-field--checkbox cijfers-filter__without${state.errors.zonder ? ' utrecht-form-field--invalid' : ''}">
${errorOf(state, 'zonder')}
<div class="utrecht-form-field__input"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="cijfers-zonder" name="zonder" value="${WITHOUT_RIEC}"${state.values.zonder === WITHOUT_RIEC ? ' checked' : ''}${state.errors.zonder ? ' aria-invalid="true" aria-describedby="cijfers-zonder-uitleg cijfers-fout-zonder"' : ' aria-describedby="cijfers-zonder-uitleg"'}></div>
<div class="utrecht-form-field__label"><label class="utrecht-form-label utrecht-form-label--checkbox" for="cijfers-zonder">Zonder RIEC-zaken</label></div>
<p class="utrecht-form-field-description" id="cijfers-zonder-uitleg">Laat de signalen weg die de weeg- en monitortafel bij het RIEC meldde, zoals het jaarverslag van Drenthe telt.</p>
</div>
<button class="utrecht-button utrecht-button--primary-action" type="submit">Toon cijfers</button>
</form>`;
}
