// Main menu sections: one open at a time; a click elsewhere or Escape closes them.
// Without this script each section still opens and closes by itself.
document.addEventListener("DOMContentLoaded", () => {
  const sections = [...document.querySelectorAll(".mainnav details")];
  for (const section of sections) {
    section.addEventListener("toggle", () => {
      if (!section.open) return;
      for (const other of sections) if (other !== section) other.open = false;
    });
  }
  document.addEventListener("click", (event) => {
    for (const section of sections) if (!section.contains(event.target)) section.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const section of sections.filter((one) => one.open)) {
      section.open = false;
      section.querySelector("summary").focus();
    }
  });
});
