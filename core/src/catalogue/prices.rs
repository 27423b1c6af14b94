//! Prices and site figures: cloud rental, hardware purchase, electricity,
//! data-centre PUE, grid carbon intensity and hosted-API prices.
//!
//! Every price is per accelerator (cloud, purchase) or per unit of energy or
//! tokens, in US dollars, converted where the source quotes another unit;
//! the notes say what was converted. Confidence follows the source's own
//! mark: vendor pages and official statistics high, secondary summaries
//! medium, aggregators and blogs low.

use super::{
    ApiPrice, CloudPrice, Confidence, ElectricityPrice, GridCarbon, HardwarePrice, Provenance,
    PueFigure,
};

/// The AWS Capacity Blocks pricing page, as of late 2024.
const AWS_CAPACITY_BLOCKS: &str =
    "AWS, Amazon EC2 Capacity Blocks for ML pricing (aws.amazon.com/ec2/capacityblocks/pricing)";

/// The pricegpu.pages.dev comparison of typical H100 and A100 rates.
const PRICEGPU_BLOG: &str = "pricegpu.pages.dev/blog/h100-vs-a100-cloud-price";

/// Cloud rental prices, per accelerator-hour.
pub static CLOUD_PRICES: &[CloudPrice] = &[
    CloudPrice {
        id: "aws-p5-capacity-block-us-east-1",
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
        id: "aws-p5-capacity-block-us-east-2",
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
        id: "aws-p5e-capacity-block-us-east-2",
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
        id: "aws-p4d-capacity-block-us-east-2",
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
        id: "aws-p4d-capacity-block-us-west-2",
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
        id: "gpu-blog-h100-sxm-cheapest",
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
        id: "gpu-blog-h100-sxm-enterprise",
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
        id: "gpu-blog-h100-nvl-runpod",
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
        id: "pricegpu-2026-a100-sxm-80gb-low",
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
        id: "pricegpu-2026-a100-sxm-80gb-high",
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
        id: "pricegpu-2026-h100-sxm-80gb-low",
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
        id: "pricegpu-2026-h100-sxm-80gb-high",
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
];

/// Purchase prices, per accelerator (GPU or card only, no server).
pub static HARDWARE_PRICES: &[HardwarePrice] = &[
    HardwarePrice {
        id: "awesomeagents-h100-new",
        accelerator_id: "h100-sxm-80gb",
        usd_per_gpu: 27_500.0,
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
        provenance: Provenance {
            source: "y-ic.de news 'Intel officially launches Gaudi3' (reporting Intel's price)",
            date: "2024",
            confidence: Confidence::Medium,
            notes: notes!(
                "Converted: an 8-accelerator kit at $125,000, divided by 8 (the article gives the same per-chip figure)."
            ),
        },
    },
];

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
