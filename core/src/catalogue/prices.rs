//! Prices and site figures: cloud rental, hardware purchase, electricity,
//! data-centre PUE, grid carbon intensity and hosted-API prices.
//!
//! Every price is per accelerator (cloud, purchase) or per unit of energy or
//! tokens, in US dollars, converted where the source quotes another unit;
//! the notes say what was converted. Confidence follows the source's own
//! mark: vendor pages and official statistics high, secondary summaries
//! medium, aggregators and blogs low.

use super::{
    ApiPrice, CloudPrice, Confidence, Covers, ElectricityPrice, EmbodiedCarbon, GridCarbon,
    HardwarePrice, Provenance, PueFigure, ServerShell,
};

/// The AWS Capacity Blocks pricing page, as of late 2024.
const AWS_CAPACITY_BLOCKS: &str =
    "AWS, Amazon EC2 Capacity Blocks for ML pricing (aws.amazon.com/ec2/capacityblocks/pricing)";

/// The pricegpu.pages.dev comparison of typical H100 and A100 rates.
const PRICEGPU_BLOG: &str = "pricegpu.pages.dev/blog/h100-vs-a100-cloud-price";

/// When the price catalogue was read: its files carry no date.
const SKYPILOT_DATE: &str = "undated price catalogue, read 2026";

/// The SkyPilot project's published aws price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_AWS: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv (commit 00148f2af367)";

/// The SkyPilot project's published gcp price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_GCP: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (commit 006059e0f18a)";

/// The SkyPilot project's published lambda price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_LAMBDA: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/lambda/vms.csv (commit 0f4070387edc)";

/// The SkyPilot project's published oci price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_OCI: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/oci/vms.csv (commit 058875118382)";

/// The SkyPilot project's published nebius price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_NEBIUS: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/nebius/vms.csv (commit 0082b0435f39)";

/// The SkyPilot project's published hyperstack price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_HYPERSTACK: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/hyperstack/vms.csv (commit fdc9d908ab0b)";

/// The SkyPilot project's published runpod price catalogue (on-demand prices per instance-hour, as the provider lists them).
const SKYPILOT_RUNPOD: &str = "SkyPilot price catalogue, github.com/skypilot-org/skypilot-catalog catalogs/v8/runpod/vms.csv (commit 01acdfd419ce)";

/// Cloud rental prices, per accelerator-hour.
pub static CLOUD_PRICES: &[CloudPrice] = &[
    CloudPrice {
        id: offer_id!("aws-p5-capacity-block-us-east-1"),
        provider: "AWS",
        offer: "p5.48xlarge (8x H100 80GB)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 4.916,
        pricing_type: "capacity block",
        provenance: Provenance {
            source: AWS_CAPACITY_BLOCKS,
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "The page's effective accelerator hourly rate (its instance rate, $39.33, divided by 8 GPUs gives the same). Reservation fee only, OS fee excluded. Late-2024 rates: the page announced an update on 2025-01-01. Rates as shown on a mirrored copy of the page."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p5-capacity-block-us-east-2"),
        provider: "AWS",
        offer: "p5.48xlarge (8x H100 80GB)",
        region: "US East (Ohio), us-east-2",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 4.916,
        pricing_type: "capacity block",
        provenance: Provenance {
            source: AWS_CAPACITY_BLOCKS,
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "Per-GPU rate as listed. Reservation fee only, OS fee excluded. Late-2024 rates: the page announced an update on 2025-01-01. Rates as shown on a mirrored copy of the page."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p5e-capacity-block-us-east-2"),
        provider: "AWS",
        offer: "p5e.48xlarge (8x H200 141GB)",
        region: "US East (Ohio), us-east-2",
        accelerator_id: "h200-sxm-141gb",
        usd_per_gpu_hour: 5.408,
        pricing_type: "capacity block",
        provenance: Provenance {
            source: AWS_CAPACITY_BLOCKS,
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "Per-GPU rate as listed; the instance rate, $43.26, divided by 8 GPUs gives $5.4075. Reservation fee only, OS fee excluded. Late-2024 rates: the page announced an update on 2025-01-01. Rates as shown on a mirrored copy of the page."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p4d-capacity-block-us-east-2"),
        provider: "AWS",
        offer: "p4d.24xlarge (8x A100 40GB)",
        region: "US East (Ohio), us-east-2",
        accelerator_id: "a100-sxm-40gb",
        usd_per_gpu_hour: 1.843_75,
        pricing_type: "capacity block",
        provenance: Provenance {
            source: AWS_CAPACITY_BLOCKS,
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "Converted: the page quotes $14.75 per instance-hour; divided by the instance's 8 GPUs. Reservation fee only, OS fee excluded. Late-2024 rates: the page announced an update on 2025-01-01. Rates as shown on a mirrored copy of the page."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p4d-capacity-block-us-west-2"),
        provider: "AWS",
        offer: "p4d.24xlarge (8x A100 40GB)",
        region: "US West (Oregon), us-west-2",
        accelerator_id: "a100-sxm-40gb",
        usd_per_gpu_hour: 1.844,
        pricing_type: "capacity block",
        provenance: Provenance {
            source: AWS_CAPACITY_BLOCKS,
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "Per-GPU rate as listed. Reservation fee only, OS fee excluded. Late-2024 rates: the page announced an update on 2025-01-01. Rates as shown on a mirrored copy of the page."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("gpu-blog-h100-sxm-cheapest"),
        provider: "cheapest listing on gpu.blog",
        offer: "H100 SXM 80GB",
        region: "global",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 1.90,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: "gpu.blog/gpus/nvidia-h100-sxm ('Cheapest' offer)",
            date: "undated (page seen 2026)",
            confidence: Confidence::Low,
            notes: notes!(
                "Aggregator price. Reported as Hyperstack's offer, but the page text for it does not name the provider."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("gpu-blog-h100-sxm-enterprise"),
        provider: "unnamed provider on gpu.blog ('Enterprise Choice')",
        offer: "H100 SXM 80GB",
        region: "global",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 2.94,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: "gpu.blog/gpus/nvidia-h100-sxm ('Enterprise Choice' offer)",
            date: "undated (page seen 2026)",
            confidence: Confidence::Low,
            notes: notes!("Aggregator price; provider not named."),
        },
    },
    CloudPrice {
        id: offer_id!("gpu-blog-h100-nvl-runpod"),
        provider: "RunPod",
        offer: "H100 NVL 94GB",
        region: "global",
        accelerator_id: "h100-nvl-94gb",
        usd_per_gpu_hour: 3.07,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: "gpu.blog/gpus/nvidia-h100-nvl (RunPod listing)",
            date: "undated (page seen 2026)",
            confidence: Confidence::Low,
            notes: notes!("Aggregator price, not read from RunPod's own page."),
        },
    },
    CloudPrice {
        id: offer_id!("pricegpu-2026-a100-sxm-80gb-low"),
        provider: "typical market rate (Lambda, CoreWeave, vast.ai, RunPod)",
        offer: "A100 80GB SXM, low end of range",
        region: "n/a",
        accelerator_id: "a100-sxm-80gb",
        usd_per_gpu_hour: 1.49,
        pricing_type: "typical market rate (range low end)",
        provenance: Provenance {
            source: PRICEGPU_BLOG,
            date: "2026 (early)",
            confidence: Confidence::Low,
            notes: notes!(
                "The source gives a range, $1.49-2.49, as typical list pricing across major platforms; kept as two entries, this is the low end."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("pricegpu-2026-a100-sxm-80gb-high"),
        provider: "typical market rate (Lambda, CoreWeave, vast.ai, RunPod)",
        offer: "A100 80GB SXM, high end of range",
        region: "n/a",
        accelerator_id: "a100-sxm-80gb",
        usd_per_gpu_hour: 2.49,
        pricing_type: "typical market rate (range high end)",
        provenance: Provenance {
            source: PRICEGPU_BLOG,
            date: "2026 (early)",
            confidence: Confidence::Low,
            notes: notes!(
                "The source gives a range, $1.49-2.49, as typical list pricing across major platforms; kept as two entries, this is the high end."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("pricegpu-2026-h100-sxm-80gb-low"),
        provider: "typical market rate (CoreWeave, Lambda, Crusoe, RunPod)",
        offer: "H100 SXM 80GB, low end of range",
        region: "n/a",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 2.49,
        pricing_type: "typical market rate (range low end)",
        provenance: Provenance {
            source: PRICEGPU_BLOG,
            date: "2026 (early)",
            confidence: Confidence::Low,
            notes: notes!(
                "The source gives a range, $2.49-3.99; kept as two entries, this is the low end."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("pricegpu-2026-h100-sxm-80gb-high"),
        provider: "typical market rate (CoreWeave, Lambda, Crusoe, RunPod)",
        offer: "H100 SXM 80GB, high end of range",
        region: "n/a",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 3.99,
        pricing_type: "typical market rate (range high end)",
        provenance: Provenance {
            source: PRICEGPU_BLOG,
            date: "2026 (early)",
            confidence: Confidence::Low,
            notes: notes!(
                "The source gives a range, $2.49-3.99; kept as two entries, this is the high end."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p4d-on-demand-us-east-1"),
        provider: "AWS",
        offer: "p4d.24xlarge (8x A100 40GB)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "a100-sxm-40gb",
        usd_per_gpu_hour: 2.744_705,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $21.957642 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("lambda-1x-a100-sxm4-40gb"),
        provider: "Lambda",
        offer: "gpu_1x_a100_sxm4 (1x A100 40GB SXM4)",
        region: "every Lambda region",
        accelerator_id: "a100-sxm-40gb",
        usd_per_gpu_hour: 1.99,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_LAMBDA,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Price per instance-hour of a one-GPU instance."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu4-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU4.8 (8x A100 40GB)",
        region: "af-casablanca-1 (the same in af-johannesburg-1)",
        accelerator_id: "a100-sxm-40gb",
        usd_per_gpu_hour: 3.05,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $24.40 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("lambda-1x-a100-40gb"),
        provider: "Lambda",
        offer: "gpu_1x_a100 (1x A100 40GB)",
        region: "every Lambda region",
        accelerator_id: "a100-pcie-40gb",
        usd_per_gpu_hour: 1.99,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_LAMBDA,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "The catalogue does not state the form factor; the name lacks the SXM4 suffix of Lambda's SXM instances, so it is mapped to the PCIe part."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p4de-on-demand-us-east-1"),
        provider: "AWS",
        offer: "p4de.24xlarge (8x A100 80GB)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "a100-sxm-80gb",
        usd_per_gpu_hour: 3.430_881,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $27.44705 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("lambda-8x-a100-80gb-sxm4"),
        provider: "Lambda",
        offer: "gpu_8x_a100_80gb_sxm4 (8x A100 80GB SXM4)",
        region: "every Lambda region",
        accelerator_id: "a100-sxm-80gb",
        usd_per_gpu_hour: 2.79,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_LAMBDA,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $22.32 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-a100-v2-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.A100-v2.8 (8x A100 80GB)",
        region: "af-casablanca-1",
        accelerator_id: "a100-sxm-80gb",
        usd_per_gpu_hour: 4.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $32 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("runpod-1x-a100-80gb-secure"),
        provider: "RunPod",
        offer: "1x A100 80GB PCIe (secure cloud)",
        region: "US-CA-1",
        accelerator_id: "a100-pcie-80gb",
        usd_per_gpu_hour: 1.39,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_RUNPOD,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Price per instance-hour of a one-GPU instance; the row names the GPU \"A100 PCIe\"."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("hyperstack-n3-a100x1"),
        provider: "Hyperstack",
        offer: "n3-A100x1 (1x A100 80GB PCIe)",
        region: "CANADA-1",
        accelerator_id: "a100-pcie-80gb",
        usd_per_gpu_hour: 1.35,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_HYPERSTACK,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Price per instance-hour of a one-GPU instance."),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p5-on-demand-us-east-1"),
        provider: "AWS",
        offer: "p5.48xlarge (8x H100 80GB)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 6.88,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: $55.04 per instance-hour divided by 8 GPUs. After AWS's 2025 price cut; pages written before it quote $98.32."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("lambda-8x-h100-sxm5"),
        provider: "Lambda",
        offer: "gpu_8x_h100_sxm5 (8x H100 SXM5)",
        region: "every Lambda region",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 3.99,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_LAMBDA,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $31.92 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("nebius-h100-sxm-8gpu"),
        provider: "Nebius",
        offer: "gpu-h100-sxm 8 GPUs, 128 vCPU, 1,600 GB",
        region: "eu-north1",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 2.95,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_NEBIUS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $23.60 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("hyperstack-n3-h100-sxm5x8"),
        provider: "Hyperstack",
        offer: "n3-H100-SXM5x8 (8x H100 80GB SXM5)",
        region: "CANADA-1 and US-1",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 2.4,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_HYPERSTACK,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $19.20 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-h100-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.H100.8 (8x H100 80GB)",
        region: "af-casablanca-1",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 10.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $80 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("hyperstack-n3-h100x1"),
        provider: "Hyperstack",
        offer: "n3-H100x1 (1x H100 80GB PCIe)",
        region: "CANADA-1",
        accelerator_id: "h100-pcie-80gb",
        usd_per_gpu_hour: 1.9,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_HYPERSTACK,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Price per instance-hour of a one-GPU instance."),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p5en-on-demand-us-east-1"),
        provider: "AWS",
        offer: "p5en.48xlarge (8x H200 141GB)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "h200-sxm-141gb",
        usd_per_gpu_hour: 7.912,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $63.296 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("nebius-h200-sxm-8gpu"),
        provider: "Nebius",
        offer: "gpu-h200-sxm 8 GPUs, 128 vCPU, 1,600 GB",
        region: "us-central1 (the same in eu-north1, eu-west1)",
        accelerator_id: "h200-sxm-141gb",
        usd_per_gpu_hour: 3.5,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_NEBIUS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $28 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-h200-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.H200.8 (8x H200 141GB)",
        region: "af-casablanca-1",
        accelerator_id: "h200-sxm-141gb",
        usd_per_gpu_hour: 10.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $80 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("lambda-1x-gh200"),
        provider: "Lambda",
        offer: "gpu_1x_gh200 (1x GH200 96GB)",
        region: "every Lambda region",
        accelerator_id: "gh200-96gb",
        usd_per_gpu_hour: 2.29,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_LAMBDA,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Price per instance-hour of a one-superchip instance."),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p6-b200-on-demand-us-east-1"),
        provider: "AWS",
        offer: "p6-b200.48xlarge (8x B200)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "b200-sxm-180gb",
        usd_per_gpu_hour: 14.241_6,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $113.9328 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("lambda-8x-b200-sxm6"),
        provider: "Lambda",
        offer: "gpu_8x_b200_sxm6 (8x B200)",
        region: "every Lambda region",
        accelerator_id: "b200-sxm-180gb",
        usd_per_gpu_hour: 6.69,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_LAMBDA,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: $53.52 per instance-hour divided by 8 GPUs (the one-GPU instance is $6.99)."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("nebius-b200-sxm-8gpu"),
        provider: "Nebius",
        offer: "gpu-b200-sxm 8 GPUs, 160 vCPU, 1,792 GB",
        region: "us-central1",
        accelerator_id: "b200-sxm-180gb",
        usd_per_gpu_hour: 5.5,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_NEBIUS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $44 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-b200-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.B200.8 (8x B200)",
        region: "af-casablanca-1",
        accelerator_id: "b200-sxm-180gb",
        usd_per_gpu_hour: 14.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $112 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-gb200-4"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.GB200.4 (4x GB200)",
        region: "af-casablanca-1",
        accelerator_id: "gb200-186gb",
        usd_per_gpu_hour: 16.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $64 per instance-hour divided by 4 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("aws-p6-b300-on-demand-us-west-2"),
        provider: "AWS",
        offer: "p6-b300.48xlarge (8x B300)",
        region: "US West (Oregon), us-west-2",
        accelerator_id: "b300-sxm-270gb",
        usd_per_gpu_hour: 17.802,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $142.416 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-b300-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.B300.8 (8x B300)",
        region: "af-casablanca-1",
        accelerator_id: "b300-sxm-270gb",
        usd_per_gpu_hour: 15.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $120 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-gb300-4"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.GB300.4 (4x GB300)",
        region: "af-casablanca-1",
        accelerator_id: "gb300-279gb",
        usd_per_gpu_hour: 18.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $72 per instance-hour divided by 4 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("aws-g6-12xlarge-us-east-1"),
        provider: "AWS",
        offer: "g6.12xlarge (4x L4)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "l4-24gb",
        usd_per_gpu_hour: 1.150_4,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $4.6016 per instance-hour divided by 4 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("aws-g6e-48xlarge-us-east-1"),
        provider: "AWS",
        offer: "g6e.48xlarge (8x L40S)",
        region: "US East (N. Virginia), us-east-1",
        accelerator_id: "l40s-48gb",
        usd_per_gpu_hour: 3.766_398,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_AWS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: $30.13118 per instance-hour divided by 8 GPUs (the one-GPU g6e.2xlarge is $2.24208)."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("nebius-l40s-1gpu"),
        provider: "Nebius",
        offer: "gpu-l40s-a 1 GPU, 8 vCPU, 32 GB",
        region: "eu-north1",
        accelerator_id: "l40s-48gb",
        usd_per_gpu_hour: 1.548_4,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_NEBIUS,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Price per instance-hour of a one-GPU instance."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-l40s-4"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.L40S.4 (4x L40S)",
        region: "af-casablanca-1",
        accelerator_id: "l40s-48gb",
        usd_per_gpu_hour: 3.5,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $14 per instance-hour divided by 4 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-rtxpro-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.RTXPRO.8 (8x RTX PRO 6000, 96 GB)",
        region: "af-casablanca-1",
        accelerator_id: "rtx-pro-6000-server-96gb",
        usd_per_gpu_hour: 4.5,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: $36 per instance-hour divided by 8 GPUs. The catalogue does not name the edition; a bare-metal server is taken to carry the Server Edition."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-mi300x-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.MI300X.8 (8x MI300X)",
        region: "af-casablanca-1",
        accelerator_id: "mi300x",
        usd_per_gpu_hour: 6.0,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $48 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("oci-bm-gpu-mi355x-8"),
        provider: "Oracle Cloud",
        offer: "BM.GPU.MI355X.8 (8x MI355X)",
        region: "af-casablanca-1",
        accelerator_id: "mi355x",
        usd_per_gpu_hour: 8.6,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_OCI,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!("Converted: $68.80 per instance-hour divided by 8 GPUs."),
        },
    },
    CloudPrice {
        id: offer_id!("gcp-tpu-v4-us-central2"),
        provider: "Google Cloud",
        offer: "Cloud TPU v4 (tpu-v4-6144 slice, 3,072 chips)",
        region: "us-central2",
        accelerator_id: "tpu-v4",
        usd_per_gpu_hour: 3.22,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_GCP,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: $9,891.84 per slice-hour divided by its 3,072 chips (the slice name counts 6,144 TensorCores, two per chip)."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("gcp-tpu-v5e-us-central1"),
        provider: "Google Cloud",
        offer: "Cloud TPU v5e (tpu-v5litepod-1)",
        region: "us-central1",
        accelerator_id: "tpu-v5e",
        usd_per_gpu_hour: 1.2,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_GCP,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Price per chip-hour of a one-chip slice; the 8- and 256-chip slices cost the same per chip."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("gcp-tpu-v6e-us-central1"),
        provider: "Google Cloud",
        offer: "Cloud TPU v6e Trillium (tpu-v6e-1)",
        region: "us-central1",
        accelerator_id: "tpu-v6e",
        usd_per_gpu_hour: 2.7,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: SKYPILOT_GCP,
            date: SKYPILOT_DATE,
            confidence: Confidence::Medium,
            notes: notes!(
                "Price per chip-hour of a one-chip slice; the 8-chip slice costs the same per chip."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("coreweave-h100-1-year"),
        provider: "CoreWeave",
        offer: "H100, 1-year reservation",
        region: "n/a",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu_hour: 1.79,
        pricing_type: "1-year committed",
        provenance: Provenance {
            source: "gridstackhub.ai/learn/reserved-vs-spot-vs-on-demand-gpu (table 'H100, CoreWeave, 2026')",
            date: "2026",
            confidence: Confidence::Low,
            notes: notes!(
                "A secondary page's table: on-demand $2.23, reserved one year $1.79 per GPU-hour."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("tensorwave-mi300x"),
        provider: "TensorWave",
        offer: "MI300X",
        region: "n/a",
        accelerator_id: "mi300x",
        usd_per_gpu_hour: 1.50,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: "cliffcenter.com/research/amd-inference-economics",
            date: "2026-05-18",
            confidence: Confidence::Low,
            notes: notes!(
                "A secondary page quoting provider rates: TensorWave $1.50, Vultr $1.85, Azure and Oracle $6 per GPU-hour."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("tensorwave-mi325x"),
        provider: "TensorWave",
        offer: "MI325X",
        region: "n/a",
        accelerator_id: "mi325x",
        usd_per_gpu_hour: 1.95,
        pricing_type: "on-demand",
        provenance: Provenance {
            source: "cliffcenter.com/research/amd-inference-economics",
            date: "2026-05-18",
            confidence: Confidence::Low,
            notes: notes!("A secondary page quoting the provider's rate."),
        },
    },
    CloudPrice {
        id: offer_id!("gcp-tpu-v6e-1-year"),
        provider: "Google Cloud",
        offer: "Cloud TPU v6e Trillium, 1-year commitment",
        region: "US East, EU West, Asia Northeast at launch",
        accelerator_id: "tpu-v6e",
        usd_per_gpu_hour: 1.89,
        pricing_type: "1-year committed",
        provenance: Provenance {
            source: "neowin.net, 'Google takes on Nvidia Blackwell GPUs with the new Trillium TPUs' (reporting Google's launch prices)",
            date: "2024-12",
            confidence: Confidence::Medium,
            notes: notes!(
                "Per chip-hour: $2.70 on demand, $1.89 with a 1-year and $1.22 with a 3-year commitment."
            ),
        },
    },
    CloudPrice {
        id: offer_id!("gcp-tpu-v6e-3-year"),
        provider: "Google Cloud",
        offer: "Cloud TPU v6e Trillium, 3-year commitment",
        region: "US East, EU West, Asia Northeast at launch",
        accelerator_id: "tpu-v6e",
        usd_per_gpu_hour: 1.22,
        pricing_type: "3-year committed",
        provenance: Provenance {
            source: "neowin.net, 'Google takes on Nvidia Blackwell GPUs with the new Trillium TPUs' (reporting Google's launch prices)",
            date: "2024-12",
            confidence: Confidence::Medium,
            notes: notes!(
                "Per chip-hour: $2.70 on demand, $1.89 with a 1-year and $1.22 with a 3-year commitment."
            ),
        },
    },
];

/// Purchase prices, per accelerator: the card alone or its share of a whole system.
pub static HARDWARE_PRICES: &[HardwarePrice] = &[
    HardwarePrice {
        id: "awesomeagents-h100-new",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu: 27_500.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "awesomeagents.ai/hardware/nvidia-h100",
            date: "2026 (approximate page date)",
            confidence: Confidence::Low,
            notes: notes!(
                "Midpoint of the quoted $25,000-30,000 for a new H100; the page describes the SXM part but the price does not name a form factor. DGX/HGX system prices were not found."
            ),
        },
    },
    HardwarePrice {
        id: "y-ic-2024-h100",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu: 30_678.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "y-ic.de news 'Intel officially launches Gaudi3'",
            date: "2024",
            confidence: Confidence::Low,
            notes: notes!(
                "H100 price quoted in passing by the article for comparison with Gaudi 3; form factor not stated."
            ),
        },
    },
    HardwarePrice {
        id: "hf-h200-msrp",
        accelerator_id: "h200-sxm-141gb",
        usd_per_gpu: 32_000.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "huggingface.co/hardware/h200 (MSRP)",
            date: "undated",
            confidence: Confidence::Low,
            notes: notes!(
                "List price (MSRP $32k) for 'H200'; mapped to the SXM part, as the page does not name a form factor."
            ),
        },
    },
    HardwarePrice {
        id: "hf-mi300x-msrp",
        accelerator_id: "mi300x",
        usd_per_gpu: 15_000.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "huggingface.co/hardware/mi300 (MSRP)",
            date: "undated",
            confidence: Confidence::Low,
            notes: notes!(
                "List price (MSRP $15k) for the page's 'MI300', whose 192 GB and 750 W match the MI300X."
            ),
        },
    },
    HardwarePrice {
        id: "intel-2024-gaudi-3-kit",
        accelerator_id: "gaudi-3",
        usd_per_gpu: 15_625.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "y-ic.de news 'Intel officially launches Gaudi3' (reporting Intel's price)",
            date: "2024",
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: an 8-accelerator kit at $125,000, divided by 8 (the article gives the same per-chip figure)."
            ),
        },
    },
    HardwarePrice {
        id: "thinkmate-2024-hgx-h100-node",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu: 39_625.0,
        covers: Covers::System { gpus: 8 },
        provenance: Provenance {
            source: "Public cost model spreadsheet citing a Thinkmate quote (docs.google.com/spreadsheets/d/1Ft3RbeZ-w43kYSiLfYc1vxO41mK5lmJpcPC9GOYHAWc)",
            date: "2024-08",
            confidence: Confidence::Low,
            notes: notes!(
                "Converted: a quoted $317,000 for an 8-GPU H100 server with its InfiniBand cards (8 x 400 Gb/s), divided by 8."
            ),
        },
    },
    HardwarePrice {
        id: "dgx-b200-2025",
        accelerator_id: "b200-sxm-180gb",
        usd_per_gpu: 64_375.0,
        covers: Covers::System { gpus: 8 },
        provenance: Provenance {
            source: "vengineer.hatenablog.com/entry/2025/03/16/080000 (DGX B200 price)",
            date: "2025-03-16",
            confidence: Confidence::Low,
            notes: notes!(
                "Converted: $515,000 for a DGX B200 (8 B200, two Xeon 8570, 2 TB memory), divided by 8. A blog's figure."
            ),
        },
    },
    HardwarePrice {
        id: "gb200-nvl72-rack",
        accelerator_id: "gb200-186gb",
        usd_per_gpu: 34_722.0,
        covers: Covers::System { gpus: 72 },
        provenance: Provenance {
            source: "awesomeagents.ai/hardware/nvidia-gb200-nvl72",
            date: "undated (page seen 2026)",
            confidence: Confidence::Low,
            notes: notes!(
                "Converted: the midpoint of the quoted $2-3 million per NVL72 rack (72 GPUs, 36 Grace CPUs, switches, liquid cooling), divided by 72."
            ),
        },
    },
    HardwarePrice {
        id: "reuters-2024-h20",
        accelerator_id: "h20-96gb",
        usd_per_gpu: 13_500.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "Reuters report on H20 pricing to distributors in China (as republished by dunyanews.tv)",
            date: "2024 (early)",
            confidence: Confidence::Medium,
            notes: notes!("Midpoint of the reported $12,000-15,000 per card."),
        },
    },
    HardwarePrice {
        id: "xither-2024-a100-80gb",
        accelerator_id: "a100-sxm-80gb",
        usd_per_gpu: 12_500.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "xither.com/compare/gpu-compute-costs-on-prem-vs-cloud-vs-spot-instances",
            date: "2024 (mid)",
            confidence: Confidence::Low,
            notes: notes!(
                "Midpoint of the quoted $10,000-15,000 per A100 80GB from major vendors; the page does not name the form factor, taken as SXM."
            ),
        },
    },
    HardwarePrice {
        id: "datastorage-l40s",
        accelerator_id: "l40s-48gb",
        usd_per_gpu: 8_500.0,
        covers: Covers::Accelerator,
        provenance: Provenance {
            source: "datastorage.com/gpu/nvidia-l40s/",
            date: "undated (page seen 2026)",
            confidence: Confidence::Low,
            notes: notes!("Midpoint of the quoted $7,000-10,000 for an on-premise L40S module."),
        },
    },
];

/// The server around eight accelerators bought as cards: CPUs, memory,
/// network cards, chassis and power supplies.
pub static SERVER_WITHOUT_ACCELERATORS: ServerShell = ServerShell {
    usd: 97_000.0,
    provenance: Provenance {
        source: "Derived: the Thinkmate 8-GPU H100 server quote ($317,000, in the public cost model spreadsheet above) less eight H100 cards at awesomeagents.ai's $27,500",
        date: "2024-2026",
        confidence: Confidence::Low,
        notes: notes!(
            "An estimate of ours from two sources of different dates, for servers priced as cards; used by the deployment search for every part priced per card."
        ),
    },
};

/// The EIA's state electricity price table.
const EIA_2023: &str = "EIA Electric Power Annual, data for 2023 (released 2024-10-17): average revenue per kWh by state, eia.gov/electricity/annual/secrev-map.php";

/// The note every EIA price carries.
const EIA_NOTE: &str = notes!(
    "Converted from US cents per kWh. Annual average revenue per kWh sold (all charges), not a marginal tariff."
);

/// One EIA state price from its published figure in US cents per kWh.
const fn eia(
    id: &'static str,
    region: &'static str,
    tariff: &'static str,
    us_cents_per_kwh: f64,
) -> ElectricityPrice {
    ElectricityPrice {
        id,
        region,
        tariff,
        usd_per_kwh: us_cents_per_kwh / 100.0,
        provenance: Provenance {
            source: EIA_2023,
            date: "2023",
            confidence: Confidence::High,
            notes: EIA_NOTE,
        },
    }
}

/// Electricity prices, dollars per kWh.
pub static ELECTRICITY_PRICES: &[ElectricityPrice] = &[
    eia(
        "eia-2023-virginia-commercial",
        "Virginia, US",
        "commercial",
        8.95,
    ),
    eia(
        "eia-2023-virginia-industrial",
        "Virginia, US",
        "industrial",
        8.92,
    ),
    eia("eia-2023-texas-commercial", "Texas, US", "commercial", 8.82),
    eia("eia-2023-texas-industrial", "Texas, US", "industrial", 6.6),
    eia(
        "eia-2023-oregon-commercial",
        "Oregon, US",
        "commercial",
        9.92,
    ),
    eia(
        "eia-2023-oregon-industrial",
        "Oregon, US",
        "industrial",
        7.52,
    ),
    eia(
        "eia-2023-washington-commercial",
        "Washington, US",
        "commercial",
        9.92,
    ),
    eia(
        "eia-2023-washington-industrial",
        "Washington, US",
        "industrial",
        6.35,
    ),
    eia(
        "eia-2023-georgia-commercial",
        "Georgia, US",
        "commercial",
        10.7,
    ),
    eia(
        "eia-2023-georgia-industrial",
        "Georgia, US",
        "industrial",
        6.88,
    ),
    eia("eia-2023-ohio-commercial", "Ohio, US", "commercial", 10.75),
    eia("eia-2023-ohio-industrial", "Ohio, US", "industrial", 7.03),
    eia(
        "eia-2023-arizona-commercial",
        "Arizona, US",
        "commercial",
        11.79,
    ),
    eia(
        "eia-2023-arizona-industrial",
        "Arizona, US",
        "industrial",
        8.11,
    ),
    eia(
        "eia-2023-illinois-commercial",
        "Illinois, US",
        "commercial",
        11.24,
    ),
    eia(
        "eia-2023-illinois-industrial",
        "Illinois, US",
        "industrial",
        8.2,
    ),
    eia("eia-2023-iowa-commercial", "Iowa, US", "commercial", 10.33),
    eia("eia-2023-iowa-industrial", "Iowa, US", "industrial", 6.91),
    eia(
        "eia-2023-north-carolina-commercial",
        "North Carolina, US",
        "commercial",
        9.67,
    ),
    eia(
        "eia-2023-north-carolina-industrial",
        "North Carolina, US",
        "industrial",
        7.15,
    ),
    eia(
        "eia-2023-nevada-commercial",
        "Nevada, US",
        "commercial",
        11.91,
    ),
    eia(
        "eia-2023-nevada-industrial",
        "Nevada, US",
        "industrial",
        10.36,
    ),
    eia(
        "eia-2023-new-york-commercial",
        "New York, US",
        "commercial",
        18.01,
    ),
    eia(
        "eia-2023-new-york-industrial",
        "New York, US",
        "industrial",
        6.87,
    ),
    eia(
        "eia-2023-california-commercial",
        "California, US",
        "commercial",
        23.91,
    ),
    eia(
        "eia-2023-california-industrial",
        "California, US",
        "industrial",
        18.64,
    ),
];

/// Data-centre power usage effectiveness figures.
pub static PUE_FIGURES: &[PueFigure] = &[
    PueFigure {
        id: "uptime-2023-industry-average",
        label: "industry average (Uptime Institute survey)",
        pue: 1.58,
        provenance: Provenance {
            source: "Uptime Institute, 'Large data centers are mostly more efficient, analysis confirms' (intelligence.uptimeinstitute.com)",
            date: "2023",
            confidence: Confidence::High,
            notes: notes!(
                "Survey average; the figure has stayed between 1.55 and 1.59 since about 2020."
            ),
        },
    },
    PueFigure {
        id: "uptime-2024-largest-site",
        label: "average at operators' largest data centre (Uptime 2024 survey)",
        pue: 1.56,
        provenance: Provenance {
            source: "Uptime Institute 2024 survey via Statista, as summarised at datasetsearch.research.google.com",
            date: "2024",
            confidence: Confidence::Medium,
            notes: notes!(
                "Secondary summary of the survey; average annual PUE reported for each respondent's largest site."
            ),
        },
    },
    PueFigure {
        id: "uptime-statista-2022-industry-average",
        label: "industry average (Statista / Uptime Institute)",
        pue: 1.55,
        provenance: Provenance {
            source: "upsite.com, citing Statista and the Uptime Institute",
            date: "2022",
            confidence: Confidence::Medium,
            notes: notes!("Secondary source; the same article gives 1.58 for 2023."),
        },
    },
    PueFigure {
        id: "equinix-2023-fleet-average",
        label: "Equinix fleet average",
        pue: 1.42,
        provenance: Provenance {
            source: "Equinix, as summarised at datasetsearch.research.google.com",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!(
                "Secondary summary; annual average over Equinix data centres worldwide (colocation)."
            ),
        },
    },
];

/// Our World in Data's carbon-intensity grapher, from Ember data.
const OWID_EMBER: &str = "Our World in Data, carbon-intensity-electricity grapher (Ember and Energy Institute data), ourworldindata.org/grapher/carbon-intensity-electricity";

/// One country from the Our World in Data grapher, 2023.
const fn owid(id: &'static str, region: &'static str, g_co2_per_kwh: f64) -> GridCarbon {
    GridCarbon {
        id,
        region,
        g_co2_per_kwh,
        provenance: Provenance {
            source: OWID_EMBER,
            date: "2023",
            confidence: Confidence::High,
            notes: notes!(
                "Life-cycle CO2-equivalent per kWh generated (generation-based, not consumption-based)."
            ),
        },
    }
}

/// Grid carbon intensity, grams of CO2-equivalent per kWh generated.
pub static GRID_CARBON: &[GridCarbon] = &[
    owid("ember-2023-china", "China", 582.0),
    owid("ember-2023-india", "India", 713.0),
    owid("ember-2023-germany", "Germany", 381.0),
    owid("ember-2023-france", "France", 56.0),
    owid("ember-2023-canada", "Canada", 170.0),
    owid("ember-2023-australia", "Australia", 549.0),
    owid("ember-2023-brazil", "Brazil", 98.0),
    owid("ember-2023-ireland", "Ireland", 291.0),
    owid("ember-2023-denmark", "Denmark", 152.0),
    owid("ember-2023-finland", "Finland", 79.0),
    GridCarbon {
        id: "ember-2023-world",
        region: "World",
        g_co2_per_kwh: 481.0,
        provenance: Provenance {
            source: "Ember via Statista, statista.com/statistics/943137 (Ember, 2024-07-03)",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!(
                "Global power-sector average; secondary source quoting Ember. Generation-based."
            ),
        },
    },
    GridCarbon {
        id: "ember-2023-norway",
        region: "Norway",
        g_co2_per_kwh: 30.0,
        provenance: Provenance {
            source: "Ember via Statista, statista.com/statistics/943137",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!("Secondary source quoting Ember. Generation-based."),
        },
    },
];

/// What making an accelerator emitted, kg CO2e. Few vendors publish a
/// figure per accelerator: NVIDIA's product carbon footprint summaries for
/// HGX H100 and HGX B200 give only an intensity per unit of compute (0.66
/// and 0.50 g CO2e per exaflop at FP16), which needs their lifetime and
/// load assumptions to become kilograms, so neither is listed.
pub static EMBODIED_CARBON: &[EmbodiedCarbon] = &[
    EmbodiedCarbon {
        id: "chien-2023-a100-p4d",
        accelerator_id: "a100-sxm-40gb",
        kg_co2e_per_gpu: 318.0,
        covers: "one A100 with an eighth of an AWS p4d.24xlarge server (CPUs, memory, storage, packaging)",
        provenance: Provenance {
            source: "Chien et al., Reducing the Carbon Impact of Generative AI Inference (today and in 2035), HotCarbon '23, doi.org/10.1145/3604930.3605705",
            date: "2023-07",
            confidence: Confidence::Low,
            notes: notes!(
                "An estimate from component reports and the instance's specification, not a vendor footprint; the paper's E_hw, given in kg CO2 (not CO2e): GPU, packaging and an eighth of the instance's CPUs, memory and storage."
            ),
        },
    },
    EmbodiedCarbon {
        id: "ademe-2026-a100-pcie-40gb",
        accelerator_id: "a100-pcie-40gb",
        kg_co2e_per_gpu: 181.0,
        covers: "the card alone: manufacture, transport and end of life",
        provenance: Provenance {
            source: "ADEME, Lees-Perasso, Ekchajzer, Roussilhe and De Latour, Analyses de cycle de vie de GPU pour l'intelligence artificielle; Hubblo's GPU embedded impacts calculator, data.hubblo.org",
            date: "2026",
            confidence: Confidence::Medium,
            notes: notes!(
                "Parametric model built from a dozen dismantled cards and elemental analyses; global warming potential excluding use."
            ),
        },
    },
];

/// Hosted-API prices for catalogue models, dollars per million tokens.
pub static API_PRICES: &[ApiPrice] = &[
    ApiPrice {
        id: "deepseek-2025-02-deepseek-chat",
        model_id: "deepseek-v3",
        provider: "DeepSeek",
        usd_per_m_input: 0.27,
        usd_per_m_cached_input: Some(0.07),
        usd_per_m_output: 1.10,
        provenance: Provenance {
            source: "DeepSeek API docs, pricing details (api-docs.deepseek.com/quick_start/pricing-details-usd)",
            date: "2025-02",
            confidence: Confidence::High,
            notes: notes!(
                "deepseek-chat (DeepSeek-V3) list price after the promotion that ended 2025-02-08; input is the cache-miss price, cached input the cache-hit price. The API served a 64K context. DeepSeek has changed its prices since; check the current page."
            ),
        },
    },
    ApiPrice {
        id: "deepseek-2025-02-deepseek-reasoner",
        model_id: "deepseek-r1",
        provider: "DeepSeek",
        usd_per_m_input: 0.55,
        usd_per_m_cached_input: Some(0.14),
        usd_per_m_output: 2.19,
        provenance: Provenance {
            source: "DeepSeek API docs, pricing details (api-docs.deepseek.com/quick_start/pricing-details-usd)",
            date: "2025-02",
            confidence: Confidence::High,
            notes: notes!(
                "deepseek-reasoner (DeepSeek-R1) list price; input is the cache-miss price, cached input the cache-hit price. Output tokens include the chain of thought."
            ),
        },
    },
    ApiPrice {
        id: "piapi-2025-02-deepseek-chat",
        model_id: "deepseek-v3",
        provider: "PiAPI (reseller)",
        usd_per_m_input: 0.30,
        usd_per_m_cached_input: None,
        usd_per_m_output: 1.80,
        provenance: Provenance {
            source: "PiAPI docs, piapi.ai/docs/llm-api/deepseek",
            date: "2025-02-07",
            confidence: Confidence::Medium,
            notes: notes!(
                "Reseller list price for deepseek-chat; the page lists input and output prices separately; combined here."
            ),
        },
    },
    ApiPrice {
        id: "piapi-2025-02-deepseek-reasoner",
        model_id: "deepseek-r1",
        provider: "PiAPI (reseller)",
        usd_per_m_input: 0.55,
        usd_per_m_cached_input: None,
        usd_per_m_output: 2.20,
        provenance: Provenance {
            source: "PiAPI docs, piapi.ai/docs/llm-api/deepseek",
            date: "2025-02-07",
            confidence: Confidence::Medium,
            notes: notes!("Reseller list price for deepseek-reasoner, quoted as input / output."),
        },
    },
    ApiPrice {
        id: "together-llama-3.1-8b",
        model_id: "llama-3.1-8b-instruct",
        provider: "Together AI",
        usd_per_m_input: 0.20,
        usd_per_m_cached_input: None,
        usd_per_m_output: 0.60,
        provenance: Provenance {
            source: "theneuralbase.com/together-ai/learn/beginner/llama-3-1-8b-pricing/",
            date: "undated",
            confidence: Confidence::Low,
            notes: notes!(
                "Serverless price as given by a third-party tutorial, quoted as input / output; Together AI's own pricing page was not read. Verify before relying on it."
            ),
        },
    },
];
