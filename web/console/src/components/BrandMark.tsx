// The partner's logo, or its name when there is no logo.
import type { Brand } from '../api/types.ts';

export function BrandMark({ brand }: { brand: Brand | null }) {
  const name = brand?.name ?? 'Parley';
  if (brand?.logoUrl) return <img className="brand-logo" src={brand.logoUrl} alt={name} data-testid="brand-logo" />;
  return (
    <span className="brand-name" data-testid="brand-name">
      {name}
    </span>
  );
}
