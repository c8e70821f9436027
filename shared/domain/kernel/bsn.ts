/**
 * The elfproef for a Dutch citizen service number (BSN): nine digits (eight with an implied leading
 * zero) whose weighted sum, the last digit weighing -1, is divisible by 11.
 */
export function isValidBsn(value: string): boolean {
  if (!/^\d{8,9}$/.test(value)) return false;
  const digits = value.padStart(9, '0').split('').map(Number);
  const sum = digits.reduce((acc, digit, i) => acc + digit * (i === 8 ? -1 : 9 - i), 0);
  return sum !== 0 && sum % 11 === 0;
}

/** People write BSNs with dots or spaces; the number itself is the digits. */
export function normaliseBsn(value: string): string {
  return value.replace(/[\s.-]/g, '');
}
