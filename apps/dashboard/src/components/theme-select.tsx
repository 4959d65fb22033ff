import { useState } from 'react';
import { applyTheme, storedTheme, type ThemeChoice } from '../lib/theme';

/** The colour scheme: the system's, or light or dark, remembered in this browser. */
export function ThemeSelect() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  const choose = (next: ThemeChoice) => {
    applyTheme(next);
    setChoice(next);
  };
  return (
    <label>
      <span className="visually-hidden">Colour scheme</span>
      <select value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
