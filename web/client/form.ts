/**
 * The meldformulier with JavaScript: the same schema as the server checks each field as it is left
 * and the whole form before sending, and sends it with fetch. The markup comes from the same page
 * functions as the server's, so both paths look and read alike. Without JavaScript none of this runs
 * and the form posts as a plain form.
 */
import { givenFormValues, HONEYPOT_FIELD, parseWebSignal } from '#domain/intake/web/index.js';
import { errorsByField, FORM_ACTION, FORM_TITLE, type FormState, formMain, unknownFieldsOf } from '../pages/form-page.js';
import { noticeMain } from '../pages/notice-page.js';
import { RECEIPT_TITLE, receiptMain } from '../pages/receipt-page.js';

const SITE = ' | Meldroute Noord-Nederland';
const main = document.getElementById('inhoud') as HTMLElement;

const valuesOf = (form: HTMLFormElement) => givenFormValues(new FormData(form));

/** What is wrong with the form's values: per field, and fields the form has not got (one a browser extension added, say). */
function errorsOf(values: Record<string, string>): Pick<FormState, 'errors' | 'unknownFields'> {
  const { [HONEYPOT_FIELD]: _honeypot, ...fields } = values;
  const parsed = parseWebSignal(fields);
  return parsed.success ? { errors: {} } : { errors: errorsByField(parsed.error.issues), unknownFields: unknownFieldsOf(parsed.error.issues) };
}

function show(html: string, title: string, focus: string) {
  main.innerHTML = html;
  document.title = title + SITE;
  (main.querySelector(focus) as HTMLElement | null)?.focus();
}

function showForm(state: FormState) {
  show(formMain(state), `Fout: ${FORM_TITLE}`, '#foutmeldingen');
}

/** Updates one field's message in place, so focus and typing are not disturbed. */
function markField(name: string, message: string | undefined) {
  const control = document.getElementById(`field-${name}`);
  if (!control) return;
  const container = control.closest('.utrecht-form-field, .utrecht-form-fieldset') as HTMLElement;
  let error = document.getElementById(`error-${name}`);
  if (message) {
    if (!error) {
      error = document.createElement('p');
      error.className = 'utrecht-form-field-error-message';
      error.id = `error-${name}`;
      control.before(error);
    }
    error.textContent = message;
    control.setAttribute('aria-invalid', 'true');
    const describedBy = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)).add(error.id);
    control.setAttribute('aria-describedby', [...describedBy].join(' '));
    container?.classList.add('utrecht-form-field--invalid');
  } else if (error) {
    error.remove();
    control.removeAttribute('aria-invalid');
    const rest = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== `error-${name}`);
    if (rest.length) control.setAttribute('aria-describedby', rest.join(' '));
    else control.removeAttribute('aria-describedby');
    container?.classList.remove('utrecht-form-field--invalid');
  }
}

document.addEventListener('focusout', (event) => {
  const control = event.target as HTMLInputElement;
  const form = control.form;
  if (!form?.classList.contains('signal-form') || !control.name || control.type === 'radio' || control.name === HONEYPOT_FIELD) return;
  // Only a field that has something in it is judged on leaving; an empty one waits for sending.
  if (!control.value) return markField(control.name, undefined);
  markField(control.name, errorsOf(valuesOf(form)).errors[control.name as keyof FormState['errors']]);
});

document.addEventListener('submit', async (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.classList?.contains('signal-form')) return;
  event.preventDefault();
  const values = valuesOf(form);
  const { errors, unknownFields = [] } = errorsOf(values);
  if (Object.keys(errors).length || unknownFields.length) return showForm({ values, errors, unknownFields });

  const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
  button.disabled = true;
  button.textContent = 'Bezig met versturen…';
  try {
    const response = await fetch(FORM_ACTION, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(values),
    });
    const body = (await response.json()) as { reference?: string; title?: string; detail?: string; errors?: Array<{ pointer: string; detail: string }> };
    if (response.status === 202 && body.reference) return show(receiptMain(body.reference), RECEIPT_TITLE, 'h1');
    if (response.status === 422 && body.errors) {
      // A JSON pointer's segments, unescaped (~1 is '/', ~0 is '~').
      const issues = body.errors.map((e) => ({
        path: e.pointer
          .split('/')
          .slice(1)
          .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')),
        message: e.detail,
      }));
      return showForm({ values, errors: errorsByField(issues), unknownFields: unknownFieldsOf(issues) });
    }
    show(noticeMain(body.title ?? 'Niet verstuurd', body.detail ?? 'Probeer het later opnieuw.'), body.title ?? 'Niet verstuurd', 'h1');
  } catch {
    button.disabled = false;
    button.textContent = 'Melding versturen';
    show(noticeMain('Niet verstuurd', 'Er is geen verbinding. Uw melding is niet verstuurd; probeer het opnieuw.'), 'Niet verstuurd', 'h1');
  }
});
