//! Accelerator datasheet figures. All throughputs are dense (without
//! structured sparsity); NVIDIA's "with sparsity" figures are twice these.
//!
//! Two fields are modelling defaults rather than datasheet figures:
//! `idle_w` is 10% of the TDP rounded to a whole watt, an estimate to be
//! replaced by measurement (the B200's is measured: its notes say where), and `interconnect_gb_s` is the bandwidth from
//! one accelerator to its peers in one direction, derived from the vendor's
//! interconnect figure as each entry's notes say.

use super::{AcceleratorEntry, Confidence, Provenance, Vendor};
use crate::accelerator::AcceleratorSpec;

/// The built-in accelerators.
pub static ACCELERATORS: &[AcceleratorEntry] = &[
    // ------------------------------------------------------------ NVIDIA A100
    AcceleratorEntry {
        id: "a100-sxm-40gb",
        name: "NVIDIA A100 40GB SXM4",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 40.0,
            memory_bandwidth_tb_s: 1.555,
            bf16_tflops: 312.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(624.0),
            tdp_w: 400.0,
            idle_w: 40.0,
            interconnect_gb_s: 300.0,
        },
        interconnect: "NVLink 3.0 600 GB/s",
        launch_year: Some(2020),
        provenance: Provenance {
            source: "NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf) as tabulated at glennklockwood.com/garden/processors/A100; unanswered.io/guide/nvidia-a100-gpu-performance; thundercompute.com/blog/nvidia-a100-specs-full-guide",
            date: "2020",
            confidence: Confidence::High,
            notes: notes!(
                "Dense BF16 312 TFLOPS (624 with sparsity); no FP8. interconnect_gb_s 300 = one direction of NVLink 3's 600 GB/s total. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "a100-sxm-80gb",
        name: "NVIDIA A100 80GB SXM4",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 80.0,
            memory_bandwidth_tb_s: 2.039,
            bf16_tflops: 312.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(624.0),
            tdp_w: 400.0,
            idle_w: 40.0,
            interconnect_gb_s: 300.0,
        },
        interconnect: "NVLink 3.0 600 GB/s",
        launch_year: Some(2020),
        provenance: Provenance {
            source: "NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf) as tabulated at glennklockwood.com/garden/processors/A100; unanswered.io/guide/nvidia-a100-gpu-performance; thundercompute.com/blog/nvidia-a100-specs-full-guide",
            date: "2020",
            confidence: Confidence::High,
            notes: notes!(
                "Dense BF16 312 TFLOPS (624 with sparsity); no FP8. interconnect_gb_s 300 = one direction of NVLink 3's 600 GB/s total. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "a100-pcie-40gb",
        name: "NVIDIA A100 40GB PCIe",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 40.0,
            memory_bandwidth_tb_s: 1.555,
            bf16_tflops: 312.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(624.0),
            tdp_w: 250.0,
            idle_w: 25.0,
            interconnect_gb_s: 32.0,
        },
        interconnect: "PCIe 4.0 x16",
        launch_year: Some(2020),
        provenance: Provenance {
            source: "NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf) as tabulated at glennklockwood.com/garden/processors/A100; unanswered.io/guide/nvidia-a100-gpu-performance; thundercompute.com/blog/nvidia-a100-specs-full-guide",
            date: "2020",
            confidence: Confidence::High,
            notes: notes!(
                "TFLOPS as for the SXM part: the datasheet's peak table gives one figure (312 dense) for both forms; sustained clocks at 250 W may be lower. No FP8. interconnect_gb_s 32 = one direction of PCIe Gen4 x16; optional NVLink bridges joining two cards are not modelled. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "a100-pcie-80gb",
        name: "NVIDIA A100 80GB PCIe",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 80.0,
            memory_bandwidth_tb_s: 1.935,
            bf16_tflops: 312.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(624.0),
            tdp_w: 300.0,
            idle_w: 30.0,
            interconnect_gb_s: 32.0,
        },
        interconnect: "PCIe 4.0 x16",
        launch_year: Some(2020),
        provenance: Provenance {
            source: "NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf) as tabulated at glennklockwood.com/garden/processors/A100; unanswered.io/guide/nvidia-a100-gpu-performance; thundercompute.com/blog/nvidia-a100-specs-full-guide",
            date: "2020",
            confidence: Confidence::High,
            notes: notes!(
                "Dense BF16 312 TFLOPS (624 with sparsity); no FP8. interconnect_gb_s 32 = one direction of PCIe Gen4 x16; optional NVLink bridges joining two cards are not modelled. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // ------------------------------------------------------------ NVIDIA H100
    AcceleratorEntry {
        id: "h100-sxm-80gb",
        name: "NVIDIA H100 SXM5 80GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 80.0,
            memory_bandwidth_tb_s: 3.35,
            bf16_tflops: 989.4,
            fp8_tflops: Some(1978.9),
            fp4_tflops: None,
            int8_tops: Some(1978.9),
            tdp_w: 700.0,
            idle_w: 70.0,
            interconnect_gb_s: 450.0,
        },
        interconnect: "NVLink 4 900 GB/s",
        launch_year: Some(2022),
        provenance: Provenance {
            source: "NVIDIA Hopper architecture whitepaper as tabulated (dense vs sparse) at glennklockwood.com/garden/processors/h100; NVIDIA H100 datasheet as quoted at clawkipedia.org/wiki/nvidia-h100; MLPerf Inference v4.1 NVIDIA DGX-H100 system description",
            date: "2022",
            confidence: Confidence::High,
            notes: notes!(
                "Dense BF16 989.4, FP8 1,978.9 TFLOPS and INT8 1,978.9 TOPS (the datasheet's 1,979 and 3,958 are with sparsity). interconnect_gb_s 450 = one direction of NVLink 4's 900 GB/s total. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "h100-pcie-80gb",
        name: "NVIDIA H100 PCIe 80GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 80.0,
            memory_bandwidth_tb_s: 2.0,
            bf16_tflops: 756.0,
            fp8_tflops: Some(1513.0),
            fp4_tflops: None,
            int8_tops: Some(1513.0),
            tdp_w: 350.0,
            idle_w: 35.0,
            interconnect_gb_s: 64.0,
        },
        interconnect: "PCIe Gen5 x16",
        launch_year: Some(2022),
        provenance: Provenance {
            source: "NVIDIA H100 PCIe product brief PB-11133-001_v02 (November 2022, mirrored at manuals.plus); NVIDIA H100 datasheet, PCIe column",
            date: "2022-11",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled: memory bandwidth 2.0 TB/s, BF16 756 TFLOPS, FP8 1,513 TFLOPS and INT8 1,513 TOPS dense (half the 1,513 and 3,026 with sparsity) from the NVIDIA H100 datasheet, PCIe column; the product brief only says the bandwidth exceeds 2,000 GB/s. TDP 350 W from the product brief (the datasheet gives 300-350 W, configurable). interconnect_gb_s 64 = one direction of PCIe Gen5 x16; NVLink bridges joining pairs of cards are not modelled. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "h100-nvl-94gb",
        name: "NVIDIA H100 NVL 94GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 94.0,
            memory_bandwidth_tb_s: 3.9,
            bf16_tflops: 835.5,
            fp8_tflops: Some(1670.5),
            fp4_tflops: None,
            int8_tops: Some(1670.5),
            tdp_w: 400.0,
            idle_w: 40.0,
            interconnect_gb_s: 300.0,
        },
        interconnect: "NVLink bridge 600 GB/s",
        launch_year: Some(2023),
        provenance: Provenance {
            source: "NVIDIA H100 datasheet, H100 NVL column (h100-nvl-datasheet.pdf; same figures on nvidia.com/en-us/data-center/h100); clawkipedia.org/wiki/nvidia-h100 for memory and NVLink; MLPerf Inference v4.1 accelerator name H100-NVL-94GB",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled from the NVIDIA H100 datasheet, NVL column: bandwidth 3.9 TB/s; BF16 835.5, FP8 1,670.5 TFLOPS and INT8 1,670.5 TOPS dense (half the 1,671 and 3,341 with sparsity); TDP 400 W, the top of the configurable 350-400 W; launch year 2023 (announced at NVIDIA GTC, March 2023). interconnect_gb_s 300 = one direction of the 600 GB/s bridge, which joins pairs of cards only; beyond the pair traffic goes over PCIe Gen5 (64 GB/s). idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // ------------------------------------------------------------ NVIDIA H200
    AcceleratorEntry {
        id: "h200-sxm-141gb",
        name: "NVIDIA H200 SXM 141GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 141.0,
            memory_bandwidth_tb_s: 4.8,
            bf16_tflops: 989.4,
            fp8_tflops: Some(1978.9),
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: 700.0,
            idle_w: 70.0,
            interconnect_gb_s: 450.0,
        },
        interconnect: "18x NVLink4, 900 GB/s",
        launch_year: Some(2024),
        provenance: Provenance {
            source: "MLPerf Inference v4.1 closed/NVIDIA/systems/H200-SXM-141GBx8_TRT_MaxQ.json (141 GB HBM3e, NVLink, 700 W TGP); github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md spec table (dense BF16/FP8, 4.8 TB/s); aiwiki.ai/wiki/nvidia_h200 (first shipments Q2 2024)",
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "Dense figures; the NVIDIA H200 datasheet's 1,979 (BF16) and 3,958 (FP8) TFLOPS are with sparsity. Same compute as H100 SXM with more and faster memory. INT8 not in the source; the planner falls back to the FP8 rate, which equals dense INT8 on Hopper. interconnect_gb_s 450 = one direction of NVLink 4's 900 GB/s total. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "h200-nvl-141gb",
        name: "NVIDIA H200 NVL 141GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 141.0,
            memory_bandwidth_tb_s: 4.8,
            bf16_tflops: 835.5,
            fp8_tflops: Some(1670.5),
            fp4_tflops: None,
            int8_tops: Some(1670.5),
            tdp_w: 600.0,
            idle_w: 60.0,
            interconnect_gb_s: 450.0,
        },
        interconnect: "2- or 4-way NVLink bridge, 900 GB/s per GPU; PCIe Gen5 x16",
        launch_year: Some(2024),
        provenance: Provenance {
            source: "NVIDIA H200 datasheet, H200 NVL column; MLPerf Inference v5.1 accelerator name H200-NVL-141GB",
            date: "2024-11",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled from the NVIDIA H200 datasheet, NVL column (the MLPerf listing gives only the name and memory): bandwidth 4.8 TB/s; BF16 835.5, FP8 1,670.5 TFLOPS and INT8 1,670.5 TOPS dense (half the 1,671 and 3,341 with sparsity); TDP up to 600 W (configurable); interconnect text; launch year 2024 (announced November 2024). interconnect_gb_s 450 = one direction of 900 GB/s, within a bridged group of 2 or 4 cards. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "gh200-96gb",
        name: "NVIDIA GH200 Grace Hopper (96GB HBM3)",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 96.0,
            memory_bandwidth_tb_s: 4.0,
            bf16_tflops: 989.0,
            fp8_tflops: Some(1979.0),
            fp4_tflops: None,
            int8_tops: Some(1979.0),
            tdp_w: 1000.0,
            idle_w: 100.0,
            interconnect_gb_s: 450.0,
        },
        interconnect: "NVLink4 900 GB/s GPU to GPU; NVLink-C2C 900 GB/s to the Grace CPU",
        launch_year: Some(2023),
        provenance: Provenance {
            source: "NVIDIA Grace Hopper Superchip product page as tabulated in S. Bekman, Machine Learning Engineering, compute/accelerator (96 GB HBM3, 4 TB/s, 989 TFLOPS dense BF16, 1,979 FP8); ServeTheHome on the module's 450-1,000 W configurable power",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!(
                "The original 96 GB HBM3 module; an HBM3e version with 141-144 GB at 4.8-4.9 TB/s followed in 2024 (sources disagree on its figures, so it is not listed). The GPU is the H100-class Hopper die: dense BF16 989, FP8 1,979 TFLOPS, no FP4. TDP 1,000 W is the top of the configurable 450-1,000 W range and covers the whole module (Grace CPU and memory included), so energy per token is pessimistic for the GPU alone. interconnect_gb_s 450 = one direction of NVLink 4's 900 GB/s. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "h20-96gb",
        name: "NVIDIA H20 96GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 96.0,
            memory_bandwidth_tb_s: 4.0,
            bf16_tflops: 148.0,
            fp8_tflops: Some(296.0),
            fp4_tflops: None,
            int8_tops: Some(296.0),
            tdp_w: 400.0,
            idle_w: 40.0,
            interconnect_gb_s: 450.0,
        },
        interconnect: "NVLink4 900 GB/s; 8-GPU HGX board",
        launch_year: Some(2024),
        provenance: Provenance {
            source: "TweakTown (January 2024) and smbom.com (2024-01-03) reporting NVIDIA's partner specification sheet for the HGX H20",
            date: "2024",
            confidence: Confidence::Medium,
            notes: notes!(
                "NVIDIA published no public datasheet: these are press reports of the partner sheet. BF16 148 TFLOPS is dense (H100 SXM's 989 / 6.68, the ratio NVIDIA gave). A 141 GB HBM3e variant has been reported but not verified. interconnect_gb_s 450 = one direction of NVLink 4's 900 GB/s. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // ------------------------------------------------------ NVIDIA Blackwell
    AcceleratorEntry {
        id: "b200-sxm-180gb",
        name: "NVIDIA B200 (HGX, 180GB)",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 180.0,
            memory_bandwidth_tb_s: 7.7,
            bf16_tflops: 2250.0,
            fp8_tflops: Some(4500.0),
            fp4_tflops: Some(9000.0),
            int8_tops: Some(4500.0),
            tdp_w: 1000.0,
            idle_w: 194.0,
            interconnect_gb_s: 900.0,
        },
        interconnect: "18x NVLink5 (1.8 TB/s per GPU; 14.4 TB/s aggregate per 8-GPU node)",
        launch_year: Some(2025),
        provenance: Provenance {
            source: "verda.com/blog/gb300-nvl72-architecture per-GPU table without sparsity; glennklockwood.com/garden/processors/B200 (HGX table at 1,000 W); MLPerf Inference v5.1 'NVIDIA B200-SXM-180GB' (TGP 1000 W); MLPerf v6.0 Nebius system description; awesomeagents.ai (shipping from early 2025); idle: NVIDIA/TensorRT-LLM issue #10278 (2025-12-24, nvidia-smi of 8 B200s serving nothing with a model loaded)",
            date: "2025",
            confidence: Confidence::Medium,
            notes: notes!(
                "Dense FP4 9, FP8 4.5, BF16 2.25 PFLOPS and INT8 4.5 POPS. NVIDIA's HGX B200 specification table gives the same per-GPU memory, bandwidth and power, and twice these rates with sparsity; glennklockwood lists 8 TB/s and 192 GB for the generic B200. interconnect_gb_s 900 = one direction of NVLink 5's 1.8 TB/s. idle_w 194 W is measured, not estimated: the middle of the 192-196 W per GPU nvidia-smi showed for 8 B200s at 0 % utilisation with DeepSeek-V3.2 loaded (P0, 1,000 W cap), which is what an idle serving node draws; the other parts' 10 % of TDP would say 100 W."
            ),
        },
    },
    AcceleratorEntry {
        id: "gb200-186gb",
        name: "NVIDIA GB200 (one Blackwell GPU of NVL72)",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 186.0,
            memory_bandwidth_tb_s: 8.0,
            bf16_tflops: 2500.0,
            fp8_tflops: Some(5000.0),
            fp4_tflops: Some(10000.0),
            int8_tops: Some(5000.0),
            tdp_w: 1200.0,
            idle_w: 120.0,
            interconnect_gb_s: 900.0,
        },
        interconnect: "NVLink5 1.8 TB/s per GPU; 72-GPU NVLink domain",
        launch_year: None,
        provenance: Provenance {
            source: "glennklockwood.com/garden/processors/B200 (GB200 configured to 1,200 W); MLPerf Inference v5.1/v6.1 accelerator 'NVIDIA GB200' (186 GB)",
            date: "2025",
            confidence: Confidence::Medium,
            notes: notes!(
                "Caveat: sources disagree. verda.com lists 9 PF FP4, 4.5 PF FP8 and 129 GB for GB200, and hmc-tech 192 GB; NVIDIA's GB200 NVL72 per-GPU specification (186 GB, 8 TB/s, up to 1,200 W, twice these rates with sparsity) agrees with the values used here. Per GPU; the Grace CPU's power is not included. interconnect_gb_s 900 = one direction of NVLink 5's 1.8 TB/s. Launch year not in the source. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "b300-sxm-270gb",
        name: "NVIDIA B300 (HGX, Blackwell Ultra, 270GB)",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 270.0,
            memory_bandwidth_tb_s: 7.7,
            bf16_tflops: 2250.0,
            fp8_tflops: Some(4500.0),
            fp4_tflops: Some(13500.0),
            int8_tops: Some(150.0),
            tdp_w: 1100.0,
            idle_w: 110.0,
            interconnect_gb_s: 900.0,
        },
        interconnect: "NVLink5 1.8 TB/s per GPU (18 links); 14.4 TB/s per 8-GPU node",
        launch_year: Some(2025),
        provenance: Provenance {
            source: "NVIDIA Blackwell Architecture Technical Brief V2.1 (2025), Table 3 HGX B300 per-GPU column; NVIDIA DGX B300 datasheet (108 PFLOPS dense FP4 per 8 GPUs); NVIDIA Technical Blog 'Inside NVIDIA Blackwell Ultra' (Aug 2025)",
            date: "2025",
            confidence: Confidence::Medium,
            notes: notes!(
                "Dense figures: BF16 2.25, FP8 4.5 PFLOPS; FP4 13.5 PFLOPS from the DGX B300 8-GPU figure (the brief's per-GPU table gives 14). Memory 270 GB is the HGX per-GPU capacity (288 GB physical). Blackwell Ultra cuts INT8 to 0.15 POPS dense. TDP 1,100 W per the brief (NVIDIA's DGX power-capping guide caps at 1,000 W). interconnect_gb_s 900 = one direction of NVLink 5's 1.8 TB/s. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "gb300-279gb",
        name: "NVIDIA GB300 (one Blackwell Ultra GPU of NVL72)",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 279.0,
            memory_bandwidth_tb_s: 8.0,
            bf16_tflops: 2500.0,
            fp8_tflops: Some(5000.0),
            fp4_tflops: Some(15000.0),
            int8_tops: Some(167.0),
            tdp_w: 1400.0,
            idle_w: 140.0,
            interconnect_gb_s: 900.0,
        },
        interconnect: "NVLink5 1.8 TB/s per GPU; 72-GPU NVLink domain",
        launch_year: Some(2025),
        provenance: Provenance {
            source: "NVIDIA GB300 NVL72 product page (rack figures with sparsity, FP4 1,080 PFLOPS dense); NVIDIA Blackwell Architecture Technical Brief V2.1 (2025), Table 2; NVIDIA Technical Blog 'Inside NVIDIA Blackwell Ultra' (Aug 2025, 15 PFLOPS dense NVFP4)",
            date: "2025",
            confidence: Confidence::Medium,
            notes: notes!(
                "Per GPU = rack / 72, sparse rates halved: BF16 2.5, FP8 5, FP4 15 PFLOPS dense, INT8 0.167 POPS. Memory 279 GB usable of 288 GB physical. TDP 1,400 W per GPU from NVIDIA's Mission Control power guide (a GB300 node is four 1.4 kW GPUs); the Grace CPU's power is not included. interconnect_gb_s 900 = one direction of NVLink 5's 1.8 TB/s. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // ------------------------------------------------------ NVIDIA inference
    AcceleratorEntry {
        id: "l4-24gb",
        name: "NVIDIA L4 24GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 24.0,
            memory_bandwidth_tb_s: 0.3,
            bf16_tflops: 121.0,
            fp8_tflops: Some(242.5),
            fp4_tflops: None,
            int8_tops: Some(242.5),
            tdp_w: 72.0,
            idle_w: 7.0,
            interconnect_gb_s: 32.0,
        },
        interconnect: "PCIe 4.0 x16",
        launch_year: None,
        provenance: Provenance {
            source: "NVIDIA L4 datasheet (spec fields as listed at store.sourcecode.com product compare); TDP 72 W per hmc-tech.com and fpsbench.com",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled: BF16 121 TFLOPS and FP8 242.5 TFLOPS dense (half the 242 and 485 with sparsity) from the NVIDIA L4 datasheet, which also states the 72 W the third-party pages give. Third-party BF16/FP8 estimates (125.34/250.68) were not used. INT8 242.5 TOPS = 485 with sparsity, halved. interconnect_gb_s 32 = one direction of PCIe Gen4 x16. idle_w 7 (7.2 rounded) is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "l40s-48gb",
        name: "NVIDIA L40S 48GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 48.0,
            memory_bandwidth_tb_s: 0.864,
            bf16_tflops: 362.05,
            fp8_tflops: Some(733.0),
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: 350.0,
            idle_w: 35.0,
            interconnect_gb_s: 32.0,
        },
        interconnect: "PCIe Gen4 x16 64 GB/s bidirectional (no NVLink)",
        launch_year: None,
        provenance: Provenance {
            source: "NVIDIA L40/L40S datasheet table as reproduced at mullet.se/product.html?product_id=355414 (omegaco.ae agrees)",
            date: "2023",
            confidence: Confidence::High,
            notes: notes!(
                "Dense BF16 362.05 and FP8 733 TFLOPS (733 and 1,466 with sparsity). INT8 not in the source; the planner falls back to the FP8 rate. interconnect_gb_s 32 = one direction of the 64 GB/s bidirectional PCIe Gen4 x16 link. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "rtx-pro-6000-server-96gb",
        name: "NVIDIA RTX PRO 6000 Blackwell Server Edition 96GB",
        vendor: Vendor::Nvidia,
        spec: AcceleratorSpec {
            memory_gb: 96.0,
            memory_bandwidth_tb_s: 1.597,
            bf16_tflops: 500.0,
            fp8_tflops: Some(1000.0),
            fp4_tflops: Some(2000.0),
            int8_tops: None,
            tdp_w: 600.0,
            idle_w: 60.0,
            interconnect_gb_s: 64.0,
        },
        interconnect: "PCIe Gen5 x16 (no NVLink), 128 GB/s bidirectional",
        launch_year: Some(2025),
        provenance: Provenance {
            source: "NVIDIA RTX PRO 6000 Blackwell Server Edition product page (96 GB GDDR7, 1,597 GB/s, FP16/BF16 1 PFLOPS, FP8 2 PFLOPS, FP4 4 PFLOPS, up to 600 W); AWS EC2 G7e announcement (1,597 GB/s per GPU)",
            date: "2025",
            confidence: Confidence::Medium,
            notes: notes!(
                "NVIDIA does not label these tensor rates sparse or dense; they are halved here because RTX-class Blackwell figures are quoted with sparsity and the page's dense TF32 rate (234 TFLOPS) implies about 470 dense BF16. If they prove dense, every compute figure doubles. No INT8 figure is published. TDP 600 W is the configurable maximum. interconnect_gb_s 64 = one direction of PCIe Gen5 x16: tensor parallelism crosses PCIe. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // -------------------------------------------------------------------- AMD
    AcceleratorEntry {
        id: "mi300x",
        name: "AMD Instinct MI300X",
        vendor: Vendor::Amd,
        spec: AcceleratorSpec {
            memory_gb: 192.0,
            memory_bandwidth_tb_s: 5.3,
            bf16_tflops: 1307.4,
            fp8_tflops: Some(2614.9),
            fp4_tflops: None,
            int8_tops: Some(2600.0),
            tdp_w: 750.0,
            idle_w: 75.0,
            interconnect_gb_s: 448.0,
        },
        interconnect: "XGMI / 8 Infinity Fabric links",
        launch_year: Some(2023),
        provenance: Provenance {
            source: "AMD Instinct MI300X datasheet (peak FP8 2.61 PFLOPS, INT8 2.6 POPS dense, 750 W TBP); github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md spec table; MLPerf Inference v4.1 AMD system 'MI300X-NPS1-SPX-192GB-750W' (XGMI); huggingface.co/hardware/mi300 (released 2023)",
            date: "2023",
            confidence: Confidence::High,
            notes: notes!(
                "Dense figures (AMD quotes twice these with sparsity). interconnect_gb_s 448 = 7 Infinity Fabric links to the other seven GPUs of an 8-GPU platform x 64 GB/s each way (128 GB/s bidirectional per link). idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "mi325x",
        name: "AMD Instinct MI325X",
        vendor: Vendor::Amd,
        spec: AcceleratorSpec {
            memory_gb: 256.0,
            memory_bandwidth_tb_s: 6.0,
            bf16_tflops: 1307.0,
            fp8_tflops: Some(2614.9),
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: 1000.0,
            idle_w: 100.0,
            interconnect_gb_s: 448.0,
        },
        interconnect: "AMD Infinity Fabric (XGMI), 7 links to peers in an 8-GPU platform; PCIe Gen5 x16",
        launch_year: Some(2024),
        provenance: Provenance {
            source: "AMD MI325X product page as quoted at docs.vultr.com/inference-cookbook/rocm/getting-started/hardware-requirements (256 GB HBM3E, 6.0 TB/s, FP16 1,307 TFLOPS); AMD Instinct MI325X datasheet; MLPerf Inference v5.1 'AMD Instinct MI325X 256GB HBM3e'",
            date: "2024",
            confidence: Confidence::Medium,
            notes: notes!(
                "Filled from the AMD Instinct MI325X datasheet: FP8 2,614.9 TFLOPS dense (5,229.8 with sparsity), TBP 1,000 W, the Infinity Fabric platform of MI300X (same 8-GPU baseboard) and launch year 2024 (October 2024). The source's FP16 figure (1,307) is used for BF16; AMD gives both the same rate. interconnect_gb_s 448 = 7 links x 64 GB/s each way, as for MI300X. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "mi355x",
        name: "AMD Instinct MI355X",
        vendor: Vendor::Amd,
        spec: AcceleratorSpec {
            memory_gb: 288.0,
            memory_bandwidth_tb_s: 8.0,
            bf16_tflops: 2516.6,
            fp8_tflops: Some(5033.2),
            fp4_tflops: Some(10066.0),
            int8_tops: Some(5033.0),
            tdp_w: 1400.0,
            idle_w: 140.0,
            interconnect_gb_s: 538.0,
        },
        interconnect: "AMD Infinity Fabric (4th gen xGMI), 7 links to peers in an 8-GPU OAM platform",
        launch_year: Some(2025),
        provenance: Provenance {
            source: "AMD ROCm documentation 'AMD GPU specifications' (288 GB HBM3E); AMD Instinct MI355X brochure (8 TB/s; dense FP16 2.5, FP8 5.0, MXFP4 10.1 PFLOPS); The Register, 2025-06-12 (1,400 W, launched at AMD Advancing AI)",
            date: "2025",
            confidence: Confidence::Medium,
            notes: notes!(
                "Dense figures (AMD quotes twice the FP16 and FP8 rates with sparsity). FP4 is MXFP4 (MXFP6 runs at the same rate). TBP 1,400 W is the liquid-cooled part; the air-cooled MI350X is the same silicon at 1,000 W and lower clocks. interconnect_gb_s 538 = half of 7 links x 153.6 GB/s, assuming AMD's link figure is bidirectional as it is for MI300X. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // ------------------------------------------------------------------ Intel
    AcceleratorEntry {
        id: "gaudi-2",
        name: "Intel Gaudi 2",
        vendor: Vendor::Intel,
        spec: AcceleratorSpec {
            memory_gb: 96.0,
            memory_bandwidth_tb_s: 2.46,
            bf16_tflops: 432.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: 600.0,
            idle_w: 60.0,
            interconnect_gb_s: 300.0,
        },
        interconnect: "integrated RoCE NICs 4.8 Tb/s bidirectional; PCIe 64 GB/s",
        launch_year: None,
        provenance: Provenance {
            source: "Intel, Hot Chips 2024 'Intel Gaudi 3 AI Accelerator: Architected for Gen AI Training and Inference' (R. Kaplan), product-generation table (mirrored at sgpjbg.com/baogao/465025.html)",
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "Gaudi 2 supports FP8, but no vendor FP8 figure is given here (one unverified report gives 835 TFLOPS), so the planner runs FP8 at the BF16 rate, a conservative choice. interconnect_gb_s 300 = half of the 4.8 Tb/s (600 GB/s) bidirectional RoCE figure; in an 8-card server some ports serve scale-out, so in-node peers see somewhat less. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "gaudi-3",
        name: "Intel Gaudi 3",
        vendor: Vendor::Intel,
        spec: AcceleratorSpec {
            memory_gb: 128.0,
            memory_bandwidth_tb_s: 3.67,
            bf16_tflops: 1835.0,
            fp8_tflops: Some(1835.0),
            fp4_tflops: None,
            int8_tops: None,
            tdp_w: 900.0,
            idle_w: 90.0,
            interconnect_gb_s: 525.0,
        },
        interconnect: "24x 200GbE RoCE on die: 21 ports scale-up (3 to each of 7 peers), 3 scale-out; PCIe Gen5 x16",
        launch_year: Some(2024),
        provenance: Provenance {
            source: "Intel, Hot Chips 2024 Gaudi 3 slides (mirrored at sgpjbg.com/baogao/465025.html); theregister.com 2024-04-09 and 2024-04-12 (announced at Intel Vision 2024; figures from the Intel Gaudi 3 white paper); Intel Gaudi documentation, Network Configuration (docs.habana.ai, scale-up 525 GB/s per direction)",
            date: "2024",
            confidence: Confidence::High,
            notes: notes!(
                "BF16 and FP8 matrix rates are equal (1,835 TFLOPS). TDP 900 W is the air-cooled part; the liquid-cooled part is rated 1,200 W. interconnect_gb_s 525 = the scale-up bandwidth per direction that Intel states for the 21 ports joining the 8 cards of a server (3 more ports serve scale-out). Figures checked again in 2026 against the white paper as reported and Intel's documentation; production parts have been measured with the matrix engines at 1,600 MHz rather than 1,750 MHz, about 1,677 TFLOPS, which the fitted compute shares absorb. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    // ----------------------------------------------------------------- Google
    AcceleratorEntry {
        id: "tpu-v4",
        name: "Google TPU v4",
        vendor: Vendor::Google,
        spec: AcceleratorSpec {
            memory_gb: 34.36,
            memory_bandwidth_tb_s: 1.2,
            bf16_tflops: 275.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(275.0),
            tdp_w: 192.0,
            idle_w: 19.0,
            interconnect_gb_s: 300.0,
        },
        interconnect: "ICI: 6 links per chip, 3D torus, 4,096-chip pod",
        launch_year: Some(2021),
        provenance: Provenance {
            source: "Google Cloud TPU v4 documentation, cloud.google.com/tpu/docs/v4 (275 TFLOPS bf16/int8, 32 GiB HBM2 at 1,200 GBps, measured min/mean/max power 90/170/192 W); Jouppi et al., 'TPU v4: An Optically Reconfigurable Supercomputer for Machine Learning', ISCA 2023 (ICI links)",
            date: "2023",
            confidence: Confidence::Medium,
            notes: notes!(
                "The Google part of the catalogue: Google publishes a power figure for TPU v4 but none for v5e, v5p or v6e. tdp_w 192 W is Google's measured maximum, not a rated TDP (measured mean 170 W). Memory 32 GiB = 34.36 GB. interconnect_gb_s 300 = 6 ICI links x 50 GB/s each way, per the TPU v4 paper. Announced at Google I/O 2021. idle_w 19 is an estimate (10% of TDP) to be replaced by calibration; Google's measured minimum is 90 W, which calibration should prefer."
            ),
        },
    },
    AcceleratorEntry {
        id: "tpu-v5e",
        name: "Google TPU v5e",
        vendor: Vendor::Google,
        spec: AcceleratorSpec {
            memory_gb: 16.0,
            memory_bandwidth_tb_s: 0.819,
            bf16_tflops: 197.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(393.0),
            tdp_w: 200.0,
            idle_w: 20.0,
            interconnect_gb_s: 200.0,
        },
        interconnect: "ICI 400 GB/s bidirectional per chip, 4 ports, 2D torus, 256-chip pod",
        launch_year: Some(2023),
        provenance: Provenance {
            source: "Google Cloud TPU v5e documentation, cloud.google.com/tpu/docs/v5e (16 GB HBM2 at 819 GBps, 197 TFLOPS bf16, 393 TOPS int8, bidirectional ICI 400 GBps per chip)",
            date: "2023",
            confidence: Confidence::Low,
            notes: notes!(
                "Google publishes no power figure for TPU v5e: tdp_w 200 W is our assumption, TPU v4's measured 192 W maximum rounded up, so energy and on-prem power figures for this part are unvalidated. No FP8 rate is published (FP8 runs at the BF16 rate). interconnect_gb_s 200 = one direction of the 400 GB/s ICI figure. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
    AcceleratorEntry {
        id: "tpu-v6e",
        name: "Google TPU v6e (Trillium)",
        vendor: Vendor::Google,
        spec: AcceleratorSpec {
            memory_gb: 32.0,
            memory_bandwidth_tb_s: 1.638,
            bf16_tflops: 918.0,
            fp8_tflops: None,
            fp4_tflops: None,
            int8_tops: Some(1836.0),
            tdp_w: 400.0,
            idle_w: 40.0,
            interconnect_gb_s: 400.0,
        },
        interconnect: "ICI 800 GB/s bidirectional per chip, 4 ports, 2D torus, 256-chip pod",
        launch_year: Some(2024),
        provenance: Provenance {
            source: "Google Cloud TPU v6e documentation, cloud.google.com/tpu/docs/v6e (32 GB HBM at 1,638 GBps, 918 TFLOPS bf16, 1,836 TOPS int8, 800 GBps ICI); announced at Google I/O, 2024-05-14",
            date: "2024",
            confidence: Confidence::Low,
            notes: notes!(
                "Google publishes no power figure for TPU v6e: tdp_w 400 W is our assumption, so energy and on-prem power figures for this part are unvalidated. No FP8 rate is published (FP8 runs at the BF16 rate). interconnect_gb_s 400 = one direction of the 800 GB/s ICI figure. idle_w is an estimate (10% of TDP) to be replaced by calibration."
            ),
        },
    },
];
