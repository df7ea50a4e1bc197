/** The product's mark and name: at the top of the sidebar, and larger on the sign-in card. */
export function Brand({ large = false }: { large?: boolean }) {
  return (
    <div className={large ? 'brand brand-large' : 'brand'}>
      <span className="brand-mark" aria-hidden="true">
        ◆
      </span>
      CCAG
    </div>
  );
}
