'use strict';
// Registers, reads and decodes with @kafkajs/confluent-schema-registry against REGISTRY_URL, for SchemaRegistryClientIT.
// SUBJECT: where to register an Avro schema; GATEWAY_BYTES: hex of a value the gateway's REST API wrote, to decode.
// Prints one JSON line of what the library answered; exits 1 when the library threw.
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const host = process.env.REGISTRY_URL;
const subject = process.env.SUBJECT;
const retry = { retries: 0 };
const user = { type: 'record', name: 'User', fields: [{ name: 'name', type: 'string' }] };

async function main() {
  const writer = new SchemaRegistry({ host, retry });
  const { id } = await writer.register({ type: SchemaType.AVRO, schema: JSON.stringify(user) }, { subject });
  const latestId = await writer.getLatestSchemaId(subject);
  const idBySchema = await writer.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(user) });
  const encoded = await writer.encode(id, { name: 'from-node' });
  // a second client starts with an empty cache: it must fetch each schema by id from the registry
  const reader = new SchemaRegistry({ host, retry });
  const roundTrip = await reader.decode(encoded);
  const gateway = process.env.GATEWAY_BYTES ? await reader.decode(Buffer.from(process.env.GATEWAY_BYTES, 'hex')) : null;
  return { id, latestId, idBySchema, encodedHex: encoded.toString('hex'), roundTrip, gateway };
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (err) => {
    console.log(JSON.stringify({ error: String(err && err.message), status: err && err.status }));
    process.exit(1);
  },
);
