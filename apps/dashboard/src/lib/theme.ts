/** Light, dark, or whatever the system says ("system": nothing stored). The choice is kept in this browser. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'dora-theme';

export function storedTheme(): ThemeChoice {
  const stored = localStorage.getItem(KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** styles.css follows `prefers-color-scheme` unless <html data-theme> names a choice. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset.theme = choice;
  }
}
