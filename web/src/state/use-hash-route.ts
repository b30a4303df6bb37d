import { useEffect, useState } from "preact/hooks";

export type View = "chat" | "compare" | "summarize";

interface Route {
  view: View;
  /** The conversation open in the chat view (`#/chat/<id>`). */
  conversationId: string | null;
}

const VIEWS: readonly View[] = ["chat", "compare", "summarize"];

function parse(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, "").split("/");
  const known = VIEWS.find((v) => v === view) ?? "chat";
  return { view: known, conversationId: known === "chat" && id ? decodeURIComponent(id) : null };
}

/** The view in the address's hash, so a reload (or a bookmark) comes back to the same place. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const update = () => setRoute(parse(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}
