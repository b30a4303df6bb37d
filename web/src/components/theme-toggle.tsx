import { useState } from "preact/hooks";

type Theme = "system" | "light" | "dark";
const NEXT: Record<Theme, Theme> = { system: "dark", dark: "light", light: "system" };
const STORAGE_KEY = "llmux-theme";

function savedTheme(): Theme {
  const value = localStorage.getItem(STORAGE_KEY);
  return value === "light" || value === "dark" ? value : "system";
}

function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") {
    delete root.dataset.theme;
    localStorage.removeItem(STORAGE_KEY);
  } else {
    root.dataset.theme = theme;
    localStorage.setItem(STORAGE_KEY, theme);
  }
}

// Before the first render, so a saved dark theme never flashes light.
applyTheme(savedTheme());

/** Cycles system (prefers-color-scheme), dark and light; the choice is kept in this browser. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(savedTheme);
  const next = NEXT[theme];
  return (
    <button
      type="button"
      class="theme-toggle"
      aria-label={`Theme: ${theme}. Switch to ${next}`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === "dark" ? "☾" : theme === "light" ? "☀" : "◐"}</span>
      <span class="theme-name"> {theme === "dark" ? "Dark" : theme === "light" ? "Light" : "System"}</span>
    </button>
  );
}
