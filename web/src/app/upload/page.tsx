import type { Metadata } from "next";
import { Uploader } from "@/features/upload/Uploader";

export const metadata: Metadata = { title: "Upload" };

export default function UploadPage() {
  return <Uploader />;
}
