import type { Metadata } from "next";
import { ReviewScreen } from "@/features/review/ReviewScreen";

export const metadata: Metadata = { title: "Review" };

export default async function DocumentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ReviewScreen id={decodeURIComponent(id)} />;
}
