import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        <Link href="/" className="font-medium text-indigo-700 underline">
          Back to the dashboard
        </Link>
      </p>
    </div>
  );
}
