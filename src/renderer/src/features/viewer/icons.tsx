// Toolbar icons: 20 px line drawings that follow the text colour.
import type { ReactElement } from 'react';

const paths = {
  reset: (
    <>
      <path d="M4 10a6 6 0 1 0 1.8-4.3" />
      <path d="M4 3.5v3.2h3.2" />
      <circle cx="10" cy="10" r="1.3" />
    </>
  ),
  wireframe: (
    <>
      <path d="M10 2.8 16.5 6.5v7L10 17.2 3.5 13.5v-7z" />
      <path d="M3.5 6.5 10 10.2l6.5-3.7M10 10.2v7" />
      <path d="M6.7 4.6 13.3 8.4M13.3 4.6 6.7 8.4" opacity="0.55" />
    </>
  ),
  autoRotate: (
    <>
      <ellipse cx="10" cy="10.5" rx="7" ry="2.8" />
      <path d="M10 3.5v5.2" />
      <path d="m13.6 11.6 2.1 1.4-2.6.9" />
    </>
  ),
  grid: (
    <>
      <path d="M2.8 13.5 7 6.5h6l4.2 7z" />
      <path d="M8.4 6.5 7.2 13.5M11.6 6.5l1.2 7M4.9 10h10.2" />
    </>
  ),
  backdrop: (
    <>
      <circle cx="10" cy="10" r="6.5" />
      <path d="M10 3.5a6.5 6.5 0 0 1 0 13z" fill="currentColor" stroke="none" />
    </>
  ),
  stats: (
    <>
      <circle cx="10" cy="10" r="7" />
      <path d="M10 9v4.6" />
      <circle cx="10" cy="6.4" r="0.4" fill="currentColor" />
    </>
  ),
  screenshot: (
    <>
      <path d="M3 7.2c0-.9.7-1.6 1.6-1.6h1.9l1.2-1.8h4.6l1.2 1.8h1.9c.9 0 1.6.7 1.6 1.6v7.2c0 .9-.7 1.6-1.6 1.6H4.6c-.9 0-1.6-.7-1.6-1.6z" />
      <circle cx="10" cy="10.6" r="2.8" />
    </>
  ),
  inspector: (
    <>
      <path d="M4 5.5h12M4 10h12M4 14.5h12" opacity="0.6" />
      <circle cx="7" cy="5.5" r="1.6" fill="var(--mv-chrome, #000)" />
      <circle cx="13" cy="10" r="1.6" fill="var(--mv-chrome, #000)" />
      <circle cx="8.5" cy="14.5" r="1.6" fill="var(--mv-chrome, #000)" />
    </>
  ),
  textures: (
    <>
      <rect x="3" y="4" width="14" height="12" rx="1.6" />
      <path d="m3.5 13.5 4-4 3 3 2-2 4 4" />
      <circle cx="13" cy="7.5" r="1.2" />
    </>
  ),
  ruler: (
    <>
      <path d="M2.8 13.2 13.2 2.8l4 4L6.8 17.2z" />
      <path d="m5.4 10.6 1.5 1.5M7.6 8.4l2.1 2.1M9.8 6.2l1.5 1.5M12 4l2.1 2.1" />
    </>
  ),
  expand: (
    <>
      <path d="M3.5 7.5v-4h4M16.5 7.5v-4h-4M3.5 12.5v4h4M16.5 12.5v4h-4" />
    </>
  ),
  collapse: (
    <>
      <path d="M7.5 3.5v4h-4M12.5 3.5v4h4M7.5 16.5v-4h-4M12.5 16.5v-4h4" />
    </>
  ),
} satisfies Record<string, ReactElement>;

export type IconName = keyof typeof paths;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      className="mv-icon"
      viewBox="0 0 20 20"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name]}
    </svg>
  );
}
