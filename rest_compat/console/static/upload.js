// Upload a song to Suno by URL (uploadAudio), when the server has it; the new task joins "Now cooking".
import { request } from "./graphql.js";
import { $, errorText, notify } from "./ui.js";

export function wireUpload(context) {
  const operation = context.schema.mutationField("uploadAudio");
  if (!operation || !context.schema.hasInput("UploadAudioInput", "url")) return;
  const form = $("#upload-form");
  $("#upload").hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = { url: form.elements.url.value.trim() };
    if (form.elements.title.value.trim()) input.title = form.elements.title.value.trim();
    try {
      const data = await request(`mutation($input: UploadAudioInput!) { uploadAudio(input: $input) { ${context.taskFields} } }`, { input });
      context.live.follow(data.uploadAudio);
      form.reset();
      notify("Upload started.");
    } catch (error) {
      notify(errorText(error), "error");
    }
  });
}
