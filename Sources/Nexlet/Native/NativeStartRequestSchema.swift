/// The JSON Schema the native nexlet registers as `start_request_schema`: the reference's `StartRequest`
/// (schema/native-start-request.json, unchanged) plus our optional keys. Go nodes and clients see a schema
/// they accept; requests written for the reference stay valid.
public enum NativeStartRequestSchema {
    public static let text = """
        {
          "title": "StartRequest",
          "type": "object",
          "properties": {
            "uri": {
              "type": "string",
              "description": "The URI of the workload"
            },
            "argv": {
              "type": "array",
              "description": "Arguments to be passed to the binary",
              "items": {
                "type": "string"
              }
            },
            "environment": {
              "type": "object",
              "contentEncoding": "base64",
              "additionalProperties": {
                "type": "string"
              },
              "description": "The base64-encoded byte array of the encrypted environment with public key of encryptor"
            },
            "description": {
              "type": "string",
              "description": "A description of the workload"
            },
            "expose_ports": {
              "type": "array",
              "description": "The port to expose",
              "items": {
                "type": "integer"
              }
            },
            "digest": {
              "type": "string",
              "pattern": "^sha256:[0-9a-fA-F]{64}$",
              "description": "The SHA-256 the artifact must have, as sha256:<hex>"
            },
            "encrypted_environment": {
              "type": "object",
              "description": "Environment variables sealed (xkv1) to the nexlet's public xkey; they override plain ones",
              "properties": {
                "encrypted_by": {
                  "type": "string"
                },
                "base64_encrypted_env": {
                  "type": "string"
                }
              },
              "required": [
                "encrypted_by",
                "base64_encrypted_env"
              ]
            },
            "workdir": {
              "type": "string",
              "description": "Absolute working directory of the workload process"
            },
            "trigger_subject": {
              "type": "string",
              "description": "Subject a function workload is triggered on, inside its namespace (default <namespace>.<workload id>)"
            },
            "limits": {
              "type": "object",
              "description": "Resource limits enforced with cgroups: memory (a size like 64MiB, or bytes), cpu (cores, e.g. 0.5), pids (most processes and threads)",
              "properties": {
                "memory": {
                  "type": ["string", "integer"]
                },
                "cpu": {
                  "type": "number",
                  "minimum": 0.01
                },
                "pids": {
                  "type": "integer",
                  "minimum": 1
                }
              },
              "additionalProperties": false
            }
          },
          "required": [
            "uri"
          ]
        }
        """
}
