"use client";

/**
 * Renders a PDF with PDF.js and outlines one evidence box.
 *
 * PDF.js and its worker come from this app: the worker is copied to /pdf.worker.min.mjs by the
 * postinstall script, so nothing is fetched from a CDN. The module is imported only in the browser.
 *
 * Evidence boxes are [x0, y0, x1, y1] in PDF points with the origin at the top left of the page
 * (as PyMuPDF reports them), so the overlay is placed in percentages of the page's size in points,
 * which holds at any zoom.
 */
import { useEffect, useRef, useState } from "react";
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from "pdfjs-dist";

export type Highlight = { page: number; bbox: number[]; label: string } | null;

const MAX_PAGES = 30;

export function PdfViewer({ url, highlight }: { url: string; highlight: Highlight }) {
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // The loading task owns the document: destroying it stops a pending load and frees a loaded one.
    let cancelled = false;
    let task: PDFDocumentLoadingTask | null = null;
    (async () => {
      try {
        const pdfjs = await import("pdfjs-dist");
        if (cancelled) return;
        pdfjs.GlobalWorkerOptions.workerSrc = "/pdf.worker.min.mjs";
        task = pdfjs.getDocument({ url, withCredentials: true, isEvalSupported: false, disableRange: true, disableAutoFetch: true });
        const doc = await task.promise;
        if (cancelled) return;
        setError(null);
        setPdf(doc);
      } catch (err) {
        if (!cancelled) setError(err instanceof Error ? err.message : String(err));
      }
    })();
    return () => {
      cancelled = true;
      // The pages must not draw from a destroyed document while the next one loads.
      setPdf(null);
      if (task) void task.destroy();
    };
  }, [url]);

  if (error) {
    return (
      <div role="alert" data-testid="pdf-error" className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
        The PDF could not be displayed: {error}{" "}
        <a href={url} className="font-medium underline" target="_blank" rel="noreferrer">
          Open the original file
        </a>
      </div>
    );
  }
  if (!pdf) {
    return (
      <div className="flex aspect-[1/1.414] w-full items-center justify-center rounded-lg bg-slate-100 text-sm text-slate-600" data-testid="pdf-loading">
        Loading PDF…
      </div>
    );
  }
  const pages = Array.from({ length: Math.min(pdf.numPages, MAX_PAGES) }, (_, i) => i + 1);
  return (
    <div className="space-y-3" data-testid="pdf-viewer" data-pages={pdf.numPages}>
      {pages.map((n) => (
        <PdfPage key={n} pdf={pdf} pageNumber={n} highlight={highlight && highlight.page === n ? highlight : null} />
      ))}
      {pdf.numPages > MAX_PAGES ? (
        <p className="text-sm text-slate-500">Only the first {MAX_PAGES} of {pdf.numPages} pages are shown.</p>
      ) : null}
    </div>
  );
}

function PdfPage({ pdf, pageNumber, highlight }: { pdf: PDFDocumentProxy; pageNumber: number; highlight: Highlight }) {
  const wrapperRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const wrapper = wrapperRef.current;
    if (!wrapper) return;
    const observer = new ResizeObserver((entries) => {
      const w = Math.round(entries[0].contentRect.width);
      setWidth((current) => (Math.abs(current - w) > 2 ? w : current));
    });
    observer.observe(wrapper);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (width <= 0) return;
    let cancelled = false;
    let task: { cancel: () => void; promise: Promise<void> } | null = null;
    (async () => {
      try {
        const page = await pdf.getPage(pageNumber);
        if (cancelled) return;
        const base = page.getViewport({ scale: 1 });
        setSize({ width: base.width, height: base.height });
        const ratio = window.devicePixelRatio || 1;
        const viewport = page.getViewport({ scale: (width / base.width) * ratio });
        const canvas = canvasRef.current;
        if (!canvas) return;
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        task = page.render({ canvas, viewport });
        await task.promise;
      } catch (err) {
        // A newer render cancelled this one, or the reviewer moved on and the document was closed.
        if (!cancelled) console.warn(`Page ${pageNumber} could not be drawn`, err);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, pageNumber, width]);

  useEffect(() => {
    if (highlight && boxRef.current) boxRef.current.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [highlight]);

  const box =
    highlight && size && highlight.bbox.length === 4
      ? {
          left: `${(highlight.bbox[0] / size.width) * 100}%`,
          top: `${(highlight.bbox[1] / size.height) * 100}%`,
          width: `${((highlight.bbox[2] - highlight.bbox[0]) / size.width) * 100}%`,
          height: `${((highlight.bbox[3] - highlight.bbox[1]) / size.height) * 100}%`,
        }
      : null;

  return (
    <div
      ref={wrapperRef}
      className="relative w-full overflow-hidden rounded-md bg-white shadow ring-1 ring-slate-200"
      style={{ aspectRatio: size ? `${size.width} / ${size.height}` : "1 / 1.414" }}
      data-testid={`pdf-page-${pageNumber}`}
    >
      <canvas ref={canvasRef} className="block h-full w-full" aria-label={`Page ${pageNumber}`} role="img" />
      {box ? (
        <div
          ref={boxRef}
          data-testid="evidence-box"
          aria-hidden="true"
          className="pointer-events-none absolute rounded-sm bg-amber-300/25 ring-2 ring-amber-500"
          style={box}
          title={highlight?.label}
        />
      ) : null}
    </div>
  );
}
