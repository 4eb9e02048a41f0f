// An @a2a-js/sdk 0.3.x client against one agent: node client-03.mjs BASE_URL TRANSPORT CUSTOMER
// Prints one JSON object with what each operation returned (same shape as client-1.mjs).
import { randomUUID } from "node:crypto";
import { ClientFactory, ClientFactoryOptions } from "a2a-js-03/client";

const [baseUrl, transport, customer] = process.argv.slice(2);

function params(text) {
  return {
    message: {
      kind: "message",
      messageId: randomUUID(),
      role: "user",
      parts: [{ kind: "text", text }],
      metadata: { "deskmesh/customer": { user_id: customer } },
    },
  };
}

const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  preferredTransports: [transport],
});
const client = await new ClientFactory(options).createFromUrl(baseUrl);
const sent = await client.sendMessage(params("What orders do I have?"));
const got = await client.getTask({ id: sent.id });
const kinds = [];
let streamed;
for await (const event of client.sendMessageStream(params("What orders do I have?"))) {
  kinds.push(event.kind);
  if (event.kind === "task") streamed = event;
  if (event.kind === "status-update") streamed = { ...streamed, status: event.status };
}
const asked = await client.sendMessage(params("Please cancel my order"));
const cancelled = await client.cancelTask({ id: asked.id });
console.log(JSON.stringify({
  send: sent.status.state,
  get: [got.id === sent.id, got.status.state],
  stream: [streamed.status.state, kinds],
  asked: asked.status.state,
  cancel: cancelled.status.state,
}));
