// An @a2a-js/sdk 1.x client against one agent: node client-1.mjs BASE_URL TRANSPORT CUSTOMER
// Prints one JSON object with what each operation returned (same shape as client-03.mjs).
import { randomUUID } from "node:crypto";
import { Role, TaskState } from "a2a-js-1";
import { ClientFactory, ClientFactoryOptions } from "a2a-js-1/client";

const [baseUrl, transport, customer] = process.argv.slice(2);
const state = (task) => TaskState[task.status.state];

function request(text, taskId = "") {
  return {
    tenant: "",
    configuration: undefined,
    metadata: undefined,
    message: {
      messageId: randomUUID(),
      contextId: "",
      taskId,
      role: Role.ROLE_USER,
      parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "" }],
      metadata: { "deskmesh/customer": { user_id: customer } },
      extensions: [],
      referenceTaskIds: [],
    },
  };
}

function taskOf(result) {
  return result.payload ? result.payload.value : result;
}

const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  preferredTransports: [transport],
});
const client = await new ClientFactory(options).createFromUrl(baseUrl);
const sent = taskOf(await client.sendMessage(request("What orders do I have?")));
const got = await client.getTask({ tenant: "", id: sent.id, historyLength: undefined });
const kinds = [];
let streamed;
for await (const event of client.sendMessageStream(request("What orders do I have?"))) {
  kinds.push(event.payload.$case);
  if (event.payload.$case === "task") streamed = event.payload.value;
  if (event.payload.$case === "statusUpdate") streamed = { ...streamed, status: event.payload.value.status };
}
const asked = taskOf(await client.sendMessage(request("Please cancel my order")));
const cancelled = await client.cancelTask({ tenant: "", id: asked.id, metadata: undefined });
console.log(JSON.stringify({
  send: state(sent),
  get: [got.id === sent.id, state(got)],
  stream: [state(streamed), kinds],
  asked: state(asked),
  cancel: state(cancelled),
}));
