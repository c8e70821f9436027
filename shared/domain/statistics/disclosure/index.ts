/** Disclosure control for published figures (small cells, differencing, releases). Empty until the monitor issue lands. */
export {};
