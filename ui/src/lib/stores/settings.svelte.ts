import { resolveLang, type Lang } from "../i18n";

export type ThemeSetting = "system" | "light" | "dark";
export type LangSetting = "system" | Lang;

const KEY = "clipbook.settings";

function loadStored(): { theme: ThemeSetting; language: LangSetting } {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    const theme = ["system", "light", "dark"].includes(raw.theme) ? raw.theme : "system";
    const language = ["system", "en", "fr"].includes(raw.language) ? raw.language : "system";
    return { theme, language };
  } catch {
    return { theme: "system", language: "system" };
  }
}

function prefersDark(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

class Settings {
  theme = $state<ThemeSetting>("system");
  language = $state<LangSetting>("system");
  systemDark = $state(false);
  /** Widths of the side panes in px (resizable). */
  sidebarWidth = $state(240);
  readerWidth = $state(520);

  constructor() {
    const s = loadStored();
    this.theme = s.theme;
    this.language = s.language;
    this.systemDark = prefersDark();
    try {
      const w = JSON.parse(localStorage.getItem(KEY + ".panes") ?? "{}");
      if (typeof w.sidebar === "number") this.sidebarWidth = w.sidebar;
      if (typeof w.reader === "number") this.readerWidth = w.reader;
    } catch {
      /* defaults */
    }
    if (typeof matchMedia === "function") {
      matchMedia("(prefers-color-scheme: dark)").addEventListener?.("change", (e) => {
        this.systemDark = e.matches;
      });
    }
  }

  get lang(): Lang {
    return resolveLang(this.language, typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language]);
  }

  get resolvedTheme(): "light" | "dark" {
    if (this.theme === "light" || this.theme === "dark") return this.theme;
    return this.systemDark ? "dark" : "light";
  }

  save() {
    try {
      localStorage.setItem(KEY, JSON.stringify({ theme: this.theme, language: this.language }));
    } catch {
      /* private mode: settings last for the session */
    }
  }

  savePanes() {
    try {
      localStorage.setItem(KEY + ".panes", JSON.stringify({ sidebar: this.sidebarWidth, reader: this.readerWidth }));
    } catch {
      /* ignore */
    }
  }

  setTheme(t: ThemeSetting) {
    this.theme = t;
    this.save();
  }

  setLanguage(l: LangSetting) {
    this.language = l;
    this.save();
  }
}

export const settings = new Settings();
