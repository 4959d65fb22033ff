import type { ReactNode } from 'react';

/**
 * A table that a phone may scroll sideways (its first column stays in view). The region is named and
 * focusable, so that a keyboard can scroll it too.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-scroll ${className}` : 'table-scroll'} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
