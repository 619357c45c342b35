import type { Metadata } from "next";
import { RequirePermission } from "@/components/RequirePermission";
import { Uploader } from "@/features/upload/Uploader";

export const metadata: Metadata = { title: "Upload" };

export default function UploadPage() {
  return (
    <RequirePermission permission="upload" what="upload documents">
      <Uploader />
    </RequirePermission>
  );
}
