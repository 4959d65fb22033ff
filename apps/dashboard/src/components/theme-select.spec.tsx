import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { applyTheme, storedTheme } from '../lib/theme';
import { ThemeSelect } from './theme-select';

describe('the colour scheme', () => {
  afterEach(() => applyTheme('system'));

  it('follows the system until chosen, then keeps the choice on <html> and in this browser', () => {
    render(<ThemeSelect />);
    const select = screen.getByLabelText<HTMLSelectElement>('Colour scheme');
    expect(select.value).toBe('system');
    expect(document.documentElement.dataset.theme).toBeUndefined();

    fireEvent.change(select, { target: { value: 'dark' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(storedTheme()).toBe('dark');

    fireEvent.change(select, { target: { value: 'system' } });
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem('dora-theme')).toBeNull();
  });

  it('opens with the choice remembered', () => {
    applyTheme('light');
    render(<ThemeSelect />);
    expect(screen.getByLabelText<HTMLSelectElement>('Colour scheme').value).toBe('light');
  });
});
