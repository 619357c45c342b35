"use client";

import { createContext, useContext } from "react";
import { resolveConfig, type RuntimeConfig } from "./runtime-config";

export { apiHref, deriveWsUrl, resolveConfig, type RuntimeConfig } from "./runtime-config";

const ConfigContext = createContext<RuntimeConfig>(resolveConfig());

export const ConfigProvider = ConfigContext.Provider;

export function useConfig(): RuntimeConfig {
  return useContext(ConfigContext);
}
