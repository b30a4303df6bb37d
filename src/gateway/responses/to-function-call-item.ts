/** A function_call output item: a call the client runs, answered with a function_call_output item. */
export function toFunctionCallItem(
  id: string,
  status: "in_progress" | "completed",
  call: { callId: string; name: string; arguments: string },
) {
  return {
    id,
    type: "function_call" as const,
    status,
    arguments: call.arguments,
    call_id: call.callId,
    name: call.name,
  };
}
