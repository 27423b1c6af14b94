//! The Hugging Face repositories of the catalogue's models, so that a
//! benchmark's result naming the model it served (vLLM's and SGLang's
//! `model_id`) finds its catalogue entry. Source: the model repositories on
//! huggingface.co as their publishers name them (2024-2025); a checkpoint
//! in another precision is listed where its publisher ships one.

/// Catalogue model id, and a Hugging Face repository of that model.
pub static HUGGING_FACE_REPOSITORIES: &[(&str, &str)] = &[
    ("llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct"),
    (
        "llama-3.1-8b-instruct",
        "meta-llama/Meta-Llama-3.1-8B-Instruct",
    ),
    (
        "llama-3.1-70b-instruct",
        "meta-llama/Llama-3.1-70B-Instruct",
    ),
    (
        "llama-3.1-70b-instruct",
        "meta-llama/Meta-Llama-3.1-70B-Instruct",
    ),
    (
        "llama-3.3-70b-instruct",
        "meta-llama/Llama-3.3-70B-Instruct",
    ),
    (
        "llama-3.1-405b-instruct",
        "meta-llama/Llama-3.1-405B-Instruct",
    ),
    (
        "llama-3.1-405b-instruct",
        "meta-llama/Meta-Llama-3.1-405B-Instruct",
    ),
    (
        "llama-3.1-405b-instruct",
        "meta-llama/Llama-3.1-405B-Instruct-FP8",
    ),
    (
        "llama-3.1-70b-instruct",
        "amd/Llama-3.1-70B-Instruct-FP8-KV",
    ),
    (
        "llama-3.3-70b-instruct",
        "amd/Llama-3.3-70B-Instruct-FP8-KV",
    ),
    (
        "llama-3.1-405b-instruct",
        "amd/Llama-3.1-405B-Instruct-FP8-KV",
    ),
    ("llama-2-7b", "meta-llama/Llama-2-7b-hf"),
    ("llama-2-7b", "meta-llama/Llama-2-7b-chat-hf"),
    ("llama-2-70b", "meta-llama/Llama-2-70b-hf"),
    ("llama-2-70b", "meta-llama/Llama-2-70b-chat-hf"),
    ("gpt-j-6b", "EleutherAI/gpt-j-6b"),
    (
        "mistral-7b-instruct-v0.3",
        "mistralai/Mistral-7B-Instruct-v0.3",
    ),
    (
        "mixtral-8x7b-instruct-v0.1",
        "mistralai/Mixtral-8x7B-Instruct-v0.1",
    ),
    (
        "mixtral-8x22b-instruct-v0.1",
        "mistralai/Mixtral-8x22B-Instruct-v0.1",
    ),
    ("qwen2.5-7b-instruct", "Qwen/Qwen2.5-7B-Instruct"),
    ("qwen2.5-72b-instruct", "Qwen/Qwen2.5-72B-Instruct"),
    ("qwen3-8b", "Qwen/Qwen3-8B"),
    ("qwen3-32b", "Qwen/Qwen3-32B"),
    ("qwen3-30b-a3b", "Qwen/Qwen3-30B-A3B"),
    ("qwen3-30b-a3b", "Qwen/Qwen3-30B-A3B-Instruct-2507"),
    ("qwen3-30b-a3b", "Qwen/Qwen3-30B-A3B-Thinking-2507"),
    ("qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B"),
    ("qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B-FP8"),
    ("qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B-Instruct-2507"),
    ("qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"),
    ("qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B-Thinking-2507"),
    ("qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B-Thinking-2507-FP8"),
    ("qwen3.5-397b-a17b", "Qwen/Qwen3.5-397B-A17B"),
    ("qwen3.5-397b-a17b", "Qwen/Qwen3.5-397B-A17B-FP8"),
    ("qwen3.5-397b-a17b", "nvidia/Qwen3.5-397B-A17B-NVFP4"),
    ("deepseek-v3", "deepseek-ai/DeepSeek-V3"),
    ("deepseek-r1", "deepseek-ai/DeepSeek-R1"),
    ("gpt-oss-120b", "openai/gpt-oss-120b"),
    ("gpt-oss-20b", "openai/gpt-oss-20b"),
    ("gemma-2-27b-it", "google/gemma-2-27b-it"),
    ("gemma-3-27b-it", "google/gemma-3-27b-it"),
    ("phi-3-mini-4k-instruct", "microsoft/Phi-3-mini-4k-instruct"),
    ("phi-4", "microsoft/phi-4"),
    (
        "llama-4-scout-17b-16e-instruct",
        "meta-llama/Llama-4-Scout-17B-16E-Instruct",
    ),
    (
        "llama-4-maverick-17b-128e-instruct",
        "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    ),
    (
        "llama-4-maverick-17b-128e-instruct",
        "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8",
    ),
];
