/** A row of buttons choosing one of a few values, the chosen one pressed (as the window switch). */
export function SegmentedSwitch<Value extends string>(props: { label: string; options: readonly (readonly [Value, string])[]; value: Value; onChange: (value: Value) => void }) {
  return (
    <div role="group" aria-label={props.label} className="segmented">
      {props.options.map(([value, title]) => (
        <button key={value} type="button" aria-pressed={props.value === value} onClick={() => props.onChange(value)}>
          {title}
        </button>
      ))}
    </div>
  );
}
