import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

function initialLanguage(): Language {
  const saved = localStorage.getItem('language');
  if (saved === 'en' || saved === 'fr' || saved === 'es') return saved;
  const browser = navigator.language.slice(0, 2);
  return browser === 'fr' || browser === 'es' ? browser : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  // A key missing in the current language is a defect: say so loudly (the browser tests fail on it).
  saveMissing: true,
  missingKeyHandler: (languages, _namespace, key) => {
    console.error(`i18n missing key "${key}" for ${languages.join(', ')}`);
  },
});

export function setLanguage(language: Language): void {
  localStorage.setItem('language', language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

document.documentElement.lang = i18n.language;
export default i18n;
