/**
 * The console's HTTP server: server-rendered pages (overview, an order's life, dead letters,
 * logs, the diagram), their live fragments for the client script, its two static assets, and
 * one action, a redrive (or its dry run) after a confirmation page. Listens on loopback
 * only; a POST from another origin is refused.
 *
 * @example
 * ```ts
 * const server = new ConsoleServer({ data, wiring, port: 3001 });
 * const url = await server.start(); // "http://127.0.0.1:3001"
 * await server.close();
 * ```
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { SystemWiring } from "../../wiring/types";
import type { ConsoleData, LetterFilters } from "./console-data";
import { type Html, html } from "./html";
import { layout } from "./layout";
import {
  deadLetterPage,
  deadLettersPage,
  redriveConfirmPage,
  redrivePage,
} from "./pages/dead-letters";
import { diagramLive, diagramPage } from "./pages/diagram";
import { logsPage } from "./pages/logs";
import { orderPage } from "./pages/order";
import { overviewLive, overviewPage } from "./pages/overview";
import { wiringGraph } from "./wiring-graph";

/** Where the console listens and what it shows. */
export interface ConsoleServerOptions {
  readonly data: ConsoleData;
  readonly wiring: SystemWiring;
  readonly port: number;
  /** 127.0.0.1 unless given. */
  readonly host?: string;
  /** Told of a request that failed, with the error. */
  readonly onError?: (error: unknown) => void;
}

/** The port is taken: another console (or something else) listens there. */
export class ConsolePortTakenError extends Error {
  override readonly name = "ConsolePortTakenError";

  constructor(readonly port: number) {
    super(
      `Port ${port} is taken: set LOCAL_CONSOLE_PORT to a free port, or LOCAL_CONSOLE=false to run without the console.`,
    );
  }
}

const ASSETS_DIR = join(import.meta.dirname, "assets");
const ASSETS: Readonly<Record<string, string>> = {
  "/assets/console.css": "text/css; charset=utf-8",
  "/assets/console.js": "text/javascript; charset=utf-8",
};
const MAX_FORM_BYTES = 64 * 1024;

/** A page or fragment to send back. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly type?: string;
}

const page = (title: string, path: string, body: Html, status = 200): Answer => ({
  status,
  body: layout({ title, path, body }).text,
});

const fragment = (body: Html): Answer => ({ status: 200, body: body.text });

/** The list filters of a query string or form. */
const lettersFilters = (params: URLSearchParams): LetterFilters => {
  const list = (name: string) => params.getAll(name).filter((value) => value.trim() !== "");
  const pick = (name: "place" | "kind" | "function" | "eventType" | "id") =>
    list(name).length === 0 ? {} : { [name]: list(name) };
  return {
    ...pick("id"),
    ...pick("place"),
    ...pick("kind"),
    ...pick("function"),
    ...pick("eventType"),
  };
};

const readForm = async (request: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
};

/** The console's pages and its one action. */
export class ConsoleServer {
  readonly #server: Server;
  readonly #graph;
  #origin = "";

  constructor(private readonly options: ConsoleServerOptions) {
    this.#graph = wiringGraph(options.wiring);
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => this.#fail(response, error));
    });
  }

  /** Starts listening; resolves with the console's address. */
  start(): Promise<string> {
    const host = this.options.host ?? "127.0.0.1";
    return new Promise((resolve, reject) => {
      this.#server.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "EADDRINUSE" ? new ConsolePortTakenError(this.options.port) : error),
      );
      this.#server.listen(this.options.port, host, () => {
        const address = this.#server.address();
        const port =
          typeof address === "object" && address !== null ? address.port : this.options.port;
        this.#origin = `http://${host}:${port}`;
        resolve(this.#origin);
      });
    });
  }

  /** Stops listening and ends open connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://console");
    const answer =
      request.method === "POST" ? await this.#post(request, url) : await this.#get(url);
    response.writeHead(answer.status, {
      "content-type": answer.type ?? "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'self'; style-src 'self'; img-src 'self' data:",
      "x-content-type-options": "nosniff",
    });
    response.end(answer.body);
  }

  async #get(url: URL): Promise<Answer> {
    const params = url.searchParams;
    const live = params.get("fragment") === "live";
    const { data } = this.options;
    switch (url.pathname) {
      case "/": {
        const overview = await data.overview();
        return live
          ? fragment(overviewLive(overview))
          : page("Overview", "/", overviewPage(overview));
      }
      case "/orders": {
        const id = (params.get("id") ?? "").trim();
        return page(
          "Order's life",
          "/orders",
          orderPage(id, id === "" ? undefined : await data.orderLife(id)),
        );
      }
      case "/dead-letters": {
        const filters = lettersFilters(params);
        return page(
          "Dead letters",
          "/dead-letters",
          deadLettersPage(filters, await data.deadLetters(filters)),
        );
      }
      case "/dead-letters/show": {
        const id = params.get("id") ?? "";
        const entry = await data.deadLetter(id);
        return page(
          "Dead letter",
          "/dead-letters",
          deadLetterPage(id, entry),
          entry === null ? 404 : 200,
        );
      }
      case "/logs":
        return this.#logs(params);
      case "/diagram": {
        const counts = await data.diagramCounts();
        return live
          ? fragment(diagramLive(this.#graph, counts))
          : page("Diagram", "/diagram", diagramPage(this.#graph, counts));
      }
      default:
        return this.#asset(url.pathname);
    }
  }

  async #logs(params: URLSearchParams): Promise<Answer> {
    const functions = this.options.wiring.functions.map((fn) => fn.name);
    const requested = params.get("function") ?? "";
    const functionName = functions.includes(requested) ? requested : (functions[0] ?? "");
    // Any case, as `npm run logs -- --level` takes it.
    const level = params.get("level")?.toUpperCase() || undefined;
    const traceId = params.get("trace")?.trim() || undefined;
    const query = { functionName, level, traceId, lines: 200 };
    const lines = await this.options.data.logs(functionName, query);
    return page("Logs", "/logs", logsPage(functions, query, lines));
  }

  #asset(pathname: string): Answer {
    const type = ASSETS[pathname];
    if (type === undefined) {
      return page(
        "Not found",
        pathname,
        html`<p role="alert">No page at <code>${pathname}</code>.</p>`,
        404,
      );
    }
    return {
      status: 200,
      type,
      body: readFileSync(join(ASSETS_DIR, pathname.slice("/assets/".length)), "utf8"),
    };
  }

  async #post(request: IncomingMessage, url: URL): Promise<Answer> {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== this.#origin) {
      return page(
        "Refused",
        url.pathname,
        html`<p role="alert">A request from another origin is refused.</p>`,
        403,
      );
    }
    if (url.pathname !== "/dead-letters/redrive") return this.#asset(url.pathname);
    const form = await readForm(request);
    const filters = lettersFilters(form);
    const mode = form.get("mode");
    if (mode === "redrive" && form.get("confirmed") !== "yes") {
      const wouldMove = await this.options.data.redrive(filters, true);
      return page("Confirm the redrive", "/dead-letters", redriveConfirmPage(filters, wouldMove));
    }
    const dryRun = mode !== "redrive";
    const outcomes = await this.options.data.redrive(filters, dryRun);
    return page(
      dryRun ? "Redrive: dry run" : "Redrive",
      "/dead-letters",
      redrivePage(dryRun, outcomes),
    );
  }

  #fail(response: ServerResponse, error: unknown): void {
    this.options.onError?.(error);
    if (response.headersSent) {
      response.end();
      return;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const body = page(
      "Error",
      "",
      html`<p role="alert">The console could not read this page: <code>${message}</code></p>`,
      500,
    );
    response.writeHead(500, { "content-type": "text/html; charset=utf-8" });
    response.end(body.body);
  }
}
