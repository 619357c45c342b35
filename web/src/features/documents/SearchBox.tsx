"use client";

import { useEffect, useState } from "react";

/** The search box: the URL (and so the query) follows it 300 ms after typing stops. */
export function SearchBox({ value, onSearch }: { value: string; onSearch: (search: string) => void }) {
  const [input, setInput] = useState(value);

  useEffect(() => {
    if (input.trim() === value) return;
    const timer = setTimeout(() => onSearch(input), 300);
    return () => clearTimeout(timer);
  }, [input, value, onSearch]);

  return (
    <div className="w-full lg:w-80">
      <label htmlFor="search" className="sr-only">
        Search documents
      </label>
      <input
        id="search"
        type="search"
        value={input}
        onChange={(event) => setInput(event.target.value)}
        placeholder="Search filename, vendor, invoice number, text…"
        data-testid="search-input"
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400"
      />
    </div>
  );
}
