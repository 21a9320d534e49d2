import { redirect } from "next/navigation";

// The decisions explorer is the home of the app.
export default function Home() {
  redirect("/decisions");
}
